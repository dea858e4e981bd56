// /readyz as a Kubernetes probe sees it: 200 while the exporter delivers, 503 once it has failed
// longer than service.telemetry.health.exporter_failure_threshold (the Collector killed), 200 again
// after the Collector is back. /healthz stays 200 meanwhile (the agent itself is fine). /metrics has
// the process metrics and the build info.
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { Collector, requireCollector } from '../support/collector.ts';
import { freePort } from '../support/free-port.ts';
import { FAST_RETRY } from '../support/meshtail-config.ts';
import { MeshtailProcess } from '../support/meshtail-process.ts';

requireCollector();

const dir = mkdtempSync(join(tmpdir(), 'meshtail-health-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('/readyz and /healthz', () => {
  let collector: Collector | undefined;
  let meshtail: MeshtailProcess | undefined;

  afterAll(async () => {
    await meshtail?.stop('SIGKILL');
    await collector?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('/readyz is 503 while the Collector is down past the threshold and 200 after it is back', async () => {
    collector = await Collector.start(join(dir, 'collector'));
    const adminPort = await freePort();
    mkdirSync(join(dir, 'logs'));
    const log = join(dir, 'logs', 'app.log');
    writeFileSync(log, '');
    const file = join(dir, 'meshtail.yaml');
    writeFileSync(
      file,
      stringify({
        receivers: { filelog: { include: [log], start_at: 'beginning', poll_interval: '50ms' } },
        exporters: {
          otlp_grpc: {
            endpoint: collector.grpcEndpoint,
            tls: { insecure: true },
            timeout: '1s',
            retry_on_failure: { ...FAST_RETRY, max_interval: '200ms' },
          },
        },
        service: {
          data_dir: join(dir, 'state'),
          telemetry: {
            metrics: { address: `127.0.0.1:${adminPort}` },
            health: { exporter_failure_threshold: '1s' },
          },
          pipelines: { logs: { receivers: ['filelog'], exporters: ['otlp_grpc'] } },
        },
      }),
    );
    meshtail = await MeshtailProcess.start(file, adminPort, join(dir, 'meshtail.log'));
    const get = async (path: string) => {
      const res = await fetch(`http://127.0.0.1:${adminPort}${path}`);
      return { status: res.status, text: await res.text() };
    };
    let n = 0;
    const write = () => appendFileSync(log, `health ${n++}\n`);
    // Polls `path` (writing a line each time, so the exporter has work) until it answers `status`.
    const until = async (path: string, status: number) => {
      const end = Date.now() + 30_000;
      let last = await get(path);
      while (last.status !== status && Date.now() < end) {
        write();
        await sleep(200);
        last = await get(path);
      }
      return last;
    };

    write();
    expect((await collector.waitForRecords(1, 20_000)) >= 1).toBe(true);
    expect((await get('/readyz')).status).toBe(200);

    await collector.kill();
    const down = await until('/readyz', 503);
    expect(down.status).toBe(503);
    expect(down.text).toContain('exporter otlp_grpc has failed');
    expect((await get('/healthz')).status).toBe(200);

    await collector.restart();
    const up = await until('/readyz', 200);
    expect(up.status).toBe(200);
    expect(await collector.waitForRecords(n, 30_000)).toBeGreaterThanOrEqual(n);

    const metrics = (await get('/metrics')).text;
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
      'meshtail_process_event_loop_delay_seconds',
    ])
      expect(metrics).toMatch(new RegExp(`^${name}(\\{[^}]*\\})? [0-9.e+-]+$`, 'm'));
    expect(metrics).toContain(`meshtail_build_info{version="0.1.0",node_version="${process.version}"} 1`);
    const utilization = Number(/^meshtail_pool_utilization_ratio (\S+)$/m.exec(metrics)?.[1]);
    expect(utilization).toBeGreaterThanOrEqual(0);
    expect(utilization).toBeLessThanOrEqual(1);
  }, 120_000);
});
