// Backend outage bridged by the disk queue (sending_queue.storage: disk, encrypted): the real
// Collector is SIGKILLed while lines flow through `meshtail run`, stays down, then comes back;
// every line must arrive (count and id set). Variant: meshtail itself is SIGKILLed in the middle of
// the outage and restarted with the same data_dir: still nothing lost. Duplicates are allowed only
// within the window docs/delivery.md documents for a kill: what the filelog receiver committed
// (durably queued) after its last checkpoint write (checkpoint_interval, 1 s of lines) plus the
// batches in flight; queue frames are not replayed, since nothing was acknowledged during the outage.
// Also scans every queue file, at its fullest, for the lines' text in clear: none.
// CI: 1.5k lines/s, 25 s and 15 s outages. Full run: bench/backend-outage.bench.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runOutage } from '../support/backend-outage.ts';
import { requireCollector } from '../support/collector.ts';

const RATE = 1500;
// 2 s of lines (the checkpoint interval plus a lagging event loop) + in-flight batches (4 per
// worker thread on 2 cores, each at most one 256 KiB read of lines of >= 100 bytes).
const DUPLICATE_WINDOW = 2 * RATE + 8 * Math.ceil((256 * 1024) / 100);
requireCollector();

describe('backend outage with the disk queue', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'meshtail-outage-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('delivers every line after the Collector returns; queue files hold no line in clear', async () => {
    const r = await runOutage({
      dir: tempDir(),
      rate: RATE,
      beforeSeconds: 3,
      outageSeconds: 25,
      afterSeconds: 2,
      drainTimeoutMs: 60_000,
    });
    console.log(
      `outage: ${r.lines} lines, ${r.report.duplicates} duplicates, queue peak ${(r.peakQueueBytes / 2 ** 20).toFixed(1)} MiB`,
    );
    expect(r.beforeOutage, 'the outage must start mid-stream').toBeGreaterThan(0);
    expect(r.report.missing, `meshtail log tail:\n${r.meshtailLog.slice(-2000)}`).toBe(0);
    expect(r.report.unique).toBe(r.lines);
    expect(r.report.unknown).toBe(0);
    expect(r.report.duplicates).toBe(0);
    expect(r.droppedRecords).toBe(0);
    expect(r.peakQueueBytes, 'the queue must have held the outage').toBeGreaterThan(0);
    expect(r.clearHits).toEqual([]);
    expect(r.exit).toEqual({ code: 0, signal: null });
  });

  it('loses nothing when meshtail is SIGKILLed during the outage and restarted', async () => {
    const r = await runOutage({
      dir: tempDir(),
      rate: RATE,
      beforeSeconds: 3,
      outageSeconds: 15,
      afterSeconds: 2,
      kill9: true,
      drainTimeoutMs: 60_000,
    });
    console.log(`outage + kill -9: ${r.lines} lines, ${r.report.duplicates} duplicates`);
    expect(r.report.missing, `meshtail log tail:\n${r.meshtailLog.slice(-2000)}`).toBe(0);
    expect(r.report.unique).toBe(r.lines);
    expect(r.report.unknown).toBe(0);
    expect(r.report.duplicates).toBeLessThanOrEqual(DUPLICATE_WINDOW);
    expect(r.report.received).toBe(r.lines + r.report.duplicates);
    expect(r.droppedRecords).toBe(0);
    expect(r.clearHits).toEqual([]);
    expect(r.exit).toEqual({ code: 0, signal: null });
  });
});
