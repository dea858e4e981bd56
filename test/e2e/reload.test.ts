// Reload in place, as an operator does it: `meshtail run` reads a growing file into the real
// Collector; halfway the config gains an attributes processor and the agent gets SIGHUP. Every line
// arrives exactly once, the lines read after the reload carry the new processor's marker, the
// process is the same; then an invalid config and SIGHUP: counted as a failure, the running
// pipeline goes on delivering; then a changed receiver, rebuilt, continues from the checkpoint.
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { Collector, requireCollector } from '../support/collector.ts';
import { OutputReader } from '../support/collector-output.ts';
import { freePort } from '../support/free-port.ts';
import { FAST_RETRY } from '../support/meshtail-config.ts';
import { MeshtailProcess, sumMetric } from '../support/meshtail-process.ts';

requireCollector();

const dir = mkdtempSync(join(tmpdir(), 'meshtail-reload-'));
const MARKER = 'test.pipeline.generation';

function config(collector: Collector, adminPort: number, marked: boolean, poll = '50ms'): string {
  return stringify({
    receivers: {
      filelog: { include: [join(dir, 'logs', '*.log')], start_at: 'beginning', poll_interval: poll },
    },
    processors: marked
      ? { 'attributes/mark': { actions: [{ key: MARKER, value: 2, action: 'insert' }] } }
      : {},
    exporters: {
      // The Collector's name for otlp_grpc.
      otlp: { endpoint: collector.grpcEndpoint, tls: { insecure: true }, retry_on_failure: FAST_RETRY },
    },
    service: {
      data_dir: join(dir, 'state'),
      telemetry: { metrics: { address: `127.0.0.1:${adminPort}` }, logs: { level: 'info' } },
      pipelines: {
        logs: { receivers: ['filelog'], processors: marked ? ['attributes/mark'] : [], exporters: ['otlp'] },
      },
    },
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('meshtail run: reload on SIGHUP', () => {
  let collector: Collector | undefined;
  let meshtail: MeshtailProcess | undefined;

  afterAll(async () => {
    await meshtail?.stop('SIGKILL');
    await collector?.stop();
    if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
  });

  it('applies a valid change without loss or duplicates, and keeps running on an invalid one', async () => {
    collector = await Collector.start(join(dir, 'collector'));
    const adminPort = await freePort();
    const configFile = join(dir, 'meshtail.yaml');
    writeFileSync(configFile, config(collector, adminPort, false));
    mkdirSync(join(dir, 'logs'));
    const log = join(dir, 'logs', 'app.log');
    writeFileSync(log, '');
    meshtail = await MeshtailProcess.start(configFile, adminPort, join(dir, 'meshtail.log'));
    const pid = meshtail.pid;

    let written = 0;
    const write = (n: number) => {
      let text = '';
      for (let i = 0; i < n; i++) text += `line-${written++} ${'x'.repeat(60)}\n`;
      appendFileSync(log, text);
    };
    const reloads = async (result: string) =>
      sumMetric(
        (await meshtail!.metrics())
          .split('\n')
          .filter((l) => l.includes(`result="${result}"`))
          .join('\n'),
        'meshtail_config_reloads_total',
      );

    // Lines keep coming while the config changes: 4,000 in steps, SIGHUP after 2,000.
    let afterReload = -1;
    for (let step = 0; step < 80; step++) {
      write(50);
      if (written === 2000) {
        // The old pipeline has delivered some, so the switch is inside the file, not before it.
        await waitFor('the first records', () => collector!.poll() > 0);
        writeFileSync(configFile, config(collector, adminPort, true));
        meshtail.child.kill('SIGHUP');
      }
      if (afterReload < 0 && written > 2000 && (await reloads('success')) === 1) afterReload = written;
      await sleep(20);
    }
    await waitFor('the reload', async () => (await reloads('success')) === 1);
    if (afterReload < 0) afterReload = written;

    // An invalid change: counted, logged, the running (marked) pipeline goes on.
    writeFileSync(configFile, `${config(collector, adminPort, true)}\nbogus_section: {}\n`);
    meshtail.child.kill('SIGHUP');
    await waitFor('the failed reload', async () => (await reloads('failure')) === 1);
    write(500);
    // A changed receiver is rebuilt: the new one goes on from the old one's checkpoint.
    await sleep(300);
    writeFileSync(configFile, config(collector, adminPort, true, '60ms'));
    meshtail.child.kill('SIGHUP');
    await waitFor('the receiver rebuilt', async () => (await reloads('success')) === 2);
    write(500);

    const seen = new Map<number, number>();
    const marked = new Set<number>();
    const reader = new OutputReader();
    await waitFor(
      'every line at the Collector',
      () =>
        reader.poll([...collector!.outputs], (r) => {
          const n = Number(/^line-(\d+) /.exec(r.body)?.[1]);
          seen.set(n, (seen.get(n) ?? 0) + 1);
          if (r.attributes[MARKER] !== undefined) marked.add(n);
        }) >= written,
      60_000,
    );
    await sleep(500);
    reader.poll([...collector.outputs]);

    expect(meshtail.running).toBe(true);
    expect(meshtail.pid).toBe(pid);
    expect(seen.size).toBe(written);
    expect([...seen.values()].every((c) => c === 1)).toBe(true);
    expect(reader.records).toBe(written);
    // The new pipeline took over at one point of the file: unmarked lines first, then marked ones,
    // and every line written after the reload was reported is marked (also those after the failure).
    const firstMarked = Math.min(...marked);
    expect(firstMarked).toBeGreaterThan(0);
    expect(firstMarked).toBeLessThanOrEqual(afterReload);
    expect(marked.size).toBe(written - firstMarked);
    console.log(
      `reload: ${written} lines, ${marked.size} through the new pipeline (from line ${firstMarked}; reload reported at ${afterReload})`,
    );
    expect(meshtail.log()).toContain('config reload failed');
    expect(meshtail.log()).toContain('bogus_section');
  }, 120_000);

  it('reloads when the watched config file is replaced, as a ConfigMap update does', async () => {
    const adminPort = await freePort();
    const watchDir = join(dir, 'watched');
    mkdirSync(watchDir);
    const file = join(watchDir, 'meshtail.yaml');
    const text = (marked: boolean) =>
      config(collector!, adminPort, marked)
        .replace('service:\n', 'service:\n  reload: { watch: true }\n')
        .replace(join(dir, 'state'), join(watchDir, 'state'));
    writeFileSync(file, text(false));
    const watched = await MeshtailProcess.start(file, adminPort, join(dir, 'watched.log'));
    try {
      // Written aside and renamed over the file, the way editors and the kubelet replace it.
      writeFileSync(`${file}.new`, text(true));
      renameSync(`${file}.new`, file);
      const end = Date.now() + 30_000;
      let reloaded = 0;
      while (reloaded < 1 && Date.now() < end) {
        await sleep(100);
        reloaded = sumMetric(
          (await watched.metrics())
            .split('\n')
            .filter((l) => l.includes('result="success"'))
            .join('\n'),
          'meshtail_config_reloads_total',
        );
      }
      expect(reloaded).toBe(1);
      expect(watched.log()).toContain('"cause":"file change"');
    } finally {
      await watched.stop('SIGTERM');
    }
  }, 60_000);
});
