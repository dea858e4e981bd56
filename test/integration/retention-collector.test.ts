// retention through `meshtail run` into the real Collector: a writer process appends numbered
// lines to access.log (O_APPEND) and reopens it on SIGUSR1 through its pid file, as Envoy does on
// a VM. The Collector is paused (SIGSTOP: connections open, no answers) for a while: the rotated
// files made meanwhile must stay on disk, and go once the Collector answered for their lines.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Collector, requireCollector } from '../support/collector.ts';
import { freePort } from '../support/free-port.ts';
import { FAST_RETRY, writeMeshtailConfig } from '../support/meshtail-config.ts';
import { MeshtailProcess } from '../support/meshtail-process.ts';
import { SeqTally } from '../support/seq-tally.ts';
import { SeqWriter } from '../support/seq-writer.ts';

requireCollector();

// The sending queue's default num_consumers (10) requests in flight, each at most one 256 KiB read
// of 101-byte lines: the most that can be sent twice if a request times out during the pause.
const DUPLICATE_WINDOW = 10 * Math.ceil((256 * 1024) / 101);

describe('retention into the Collector', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshtail-retention-'));
  let collector: Collector | undefined;
  let meshtail: MeshtailProcess | undefined;
  let writer: SeqWriter | undefined;

  afterAll(async () => {
    await writer?.stop();
    await meshtail?.stop('SIGKILL');
    await collector?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers every line and deletes rotated files only after the Collector answered', async () => {
    const logs = join(dir, 'logs');
    mkdirSync(logs);
    const base = join(logs, 'access.log');
    const pidFile = join(dir, 'envoy.pid');
    const rotated = () => readdirSync(logs).filter((n) => n.startsWith('access.log.'));
    collector = await Collector.start(join(dir, 'collector'));
    writer = new SeqWriter({
      files: [{ id: 'a', path: base, cri: false }],
      rate: 1000, // ~100 KB/s: a 64 KiB rotation every ~0.65 s
      seconds: 120,
      reopenSignal: 'SIGUSR1',
      pidFile,
    });
    expect(await until(() => existsSync(pidFile))).toBe(true);
    const adminPort = await freePort();
    const config = writeMeshtailConfig(join(dir, 'meshtail.yaml'), {
      include: [base],
      exporter: {
        id: 'otlp_grpc',
        config: { endpoint: collector.grpcEndpoint, tls: { insecure: true }, retry_on_failure: FAST_RETRY },
      },
      dataDir: join(dir, 'state'),
      adminPort,
      filelog: { retention: { rotate_size: '64KiB', max_rotated: 20, reopen: { pid_file: pidFile } } },
    });
    const m = await MeshtailProcess.start(config, adminPort, join(dir, 'meshtail.log'));
    meshtail = m;
    const metric = (name: string) => m.metric(`meshtail_receiver_retention_${name}`);
    expect(await until(async () => (await metric('deleted_files_total')) >= 2)).toBe(true);

    collector.pause();
    const rotations = await metric('rotations_total');
    expect(await until(async () => (await metric('rotations_total')) >= rotations + 3)).toBe(true);
    const deleted = await metric('deleted_files_total');
    const kept = rotated();
    await sleep(1500); // longer than the quiet second after a reopen
    expect(await metric('deleted_files_total')).toBe(deleted);
    expect(kept.every((name) => existsSync(join(logs, name)))).toBe(true);
    expect(kept.length).toBeGreaterThanOrEqual(3);
    collector.resume();

    // Stop the writer just after a reopen, so no rotation waits for a writer that is gone.
    const size = () => statSync(base, { throwIfNoEntry: false })?.size ?? Number.POSITIVE_INFINITY;
    expect(await until(() => size() < 32 * 1024)).toBe(true);
    await writer.stop();
    const summary = await writer.finished(5000);
    const written = summary.written[0]!;
    const tally = new SeqTally(['a'], written);
    await collector.waitForRecords(written, 60_000, tally.visit);
    expect(await until(() => rotated().length === 0, 30_000)).toBe(true);
    await sleep(500);
    collector.poll(tally.visit);
    const report = tally.report(['a'], [written]);
    const totals = {
      rotations: await metric('rotations_total'),
      deleted: await metric('deleted_files_total'),
      reopens: summary.reopens,
    };
    console.log(
      `retention: ${written} lines written, ${report.unique} unique at the Collector, ` +
        `${report.duplicated} duplicates; ${totals.rotations} rotations, ${totals.deleted} deleted, ` +
        `${kept.length} rotated files kept during the pause`,
    );
    expect(report.lost, `meshtail log tail:\n${m.log().slice(-2000)}`).toBe(0);
    expect(report.unknown).toBe(0);
    expect(report.duplicated).toBeLessThanOrEqual(DUPLICATE_WINDOW);
    expect(totals.deleted).toBe(totals.rotations);
    expect(totals.reopens).toBe(totals.rotations);
    expect(await metric('reopen_failures_total')).toBe(0);
    expect(await m.stop()).toEqual({ code: 0, signal: null });
  }, 120_000);
});

async function until(cond: () => boolean | Promise<boolean>, ms = 20_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!(await cond()) && Date.now() < end) await sleep(20);
  return cond();
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
