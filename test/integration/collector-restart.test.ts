// The Collector SIGKILLed while meshtail exports to it, restarted ~2 s later on the same ports:
// meshtail retries (short backoff) and every line arrives. Delivery is at-least-once, so a kill
// between the Collector's file write and its reply may repeat the requests that were in flight;
// nothing may be missing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Collector, requireCollector } from '../support/collector.ts';
import { awaitDelivery, type ExportRun, startExport } from '../support/export-run.ts';
import { layoutLogs, writeSlice } from '../support/generated-logs.ts';
import { FAST_RETRY } from '../support/meshtail-config.ts';

const LINES = 300_000;
// Lines arrive as live traffic over ~6 s (60 slices, 100 ms apart): the kill at ~1.5 s lands
// mid-stream, and lines keep coming while the Collector is down and after it is back.
const SLICES = 60;
// The sending queue's default num_consumers (10) requests in flight, each at most one 256 KiB read
// of lines of >= 100 bytes: the most a kill can make the agent send twice.
const DUPLICATE_WINDOW = 10 * Math.ceil((256 * 1024) / 100);
requireCollector();

describe('Collector killed and restarted mid-stream', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshtail-restart-'));
  let collector: Collector | undefined;
  let run: ExportRun | undefined;
  let writing = true;

  afterAll(async () => {
    writing = false;
    await run?.meshtail.stop('SIGKILL');
    await collector?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses nothing and counts retries', async () => {
    const logs = layoutLogs(join(dir, 'logs'), { lines: LINES, files: 6, rawEvery: 3 });
    collector = await Collector.start(join(dir, 'collector'));
    run = await startExport(join(dir, 'agent'), logs, {
      id: 'otlp_grpc',
      config: { endpoint: collector.grpcEndpoint, tls: { insecure: true }, retry_on_failure: FAST_RETRY },
    });
    const { tally } = run;
    const traffic = (async () => {
      for (let step = 0; step < SLICES && writing; step++) {
        writeSlice(logs, step, SLICES);
        await sleep(100);
      }
    })();

    await sleep(1500);
    const beforeKill = collector.poll(tally.visit);
    await collector.kill();
    await sleep(2000);
    await collector.restart();
    await traffic;

    const report = await awaitDelivery(collector, run, LINES, 90_000);
    const retries = await run.meshtail.metric('meshtail_exporter_retries_total');
    const failed = await run.meshtail.metric('meshtail_exporter_failed_records_total');
    const exit = await run.meshtail.stop();
    console.log(
      `restart: ${beforeKill} records before the kill; ${report.unique} unique, ` +
        `${report.duplicates} duplicates, ${retries} retries, ${collector.output.tornLines} torn lines`,
    );

    expect(beforeKill, 'the kill must land mid-stream').toBeGreaterThan(0);
    expect(beforeKill, 'the kill must land mid-stream').toBeLessThan(LINES / 2);
    expect(report.missing, `meshtail log tail:\n${run.meshtail.log().slice(-2000)}`).toBe(0);
    expect(report.unique).toBe(LINES);
    expect(report.unknown).toBe(0);
    expect(report.badAttributes).toBe(0);
    expect(report.duplicates).toBeLessThanOrEqual(DUPLICATE_WINDOW);
    expect(report.received).toBe(LINES + report.duplicates);
    expect(retries).toBeGreaterThan(0);
    expect(failed).toBe(0);
    expect(exit).toEqual({ code: 0, signal: null });
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
