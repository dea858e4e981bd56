// service.telemetry.traces: the agent's own spans (one per pipeline batch) reach a real Collector
// over OTLP/gRPC through the OpenTelemetry SDK.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { Collector, requireCollector } from '../support/collector.ts';
import { freePort } from '../support/free-port.ts';
import { MeshtailProcess } from '../support/meshtail-process.ts';

requireCollector();
const dir = mkdtempSync(join(tmpdir(), 'meshtail-selftraces-'));
let collector: Collector;

describe('self-traces', () => {
  beforeAll(async () => {
    collector = await Collector.start(join(dir, 'collector'));
  });
  afterAll(async () => {
    await collector?.stop();
  });

  it('exports a meshtail.pipeline.batch span per batch to the configured endpoint', async () => {
    const logs = join(dir, 'logs');
    mkdirSync(logs);
    writeFileSync(join(logs, 'a.log'), Array.from({ length: 100 }, (_, i) => `line ${i}\n`).join(''));
    const adminPort = await freePort();
    const config = join(dir, 'meshtail.yaml');
    writeFileSync(
      config,
      stringify({
        receivers: { filelog: { include: [`${logs}/*.log`], start_at: 'beginning', poll_interval: '50ms' } },
        exporters: { otlp_grpc: { endpoint: collector.grpcEndpoint, tls: { insecure: true } } },
        service: {
          data_dir: join(dir, 'state'),
          telemetry: {
            metrics: { address: `127.0.0.1:${adminPort}` },
            traces: { endpoint: collector.grpcEndpoint },
          },
          pipelines: { logs: { receivers: ['filelog'], exporters: ['otlp_grpc'] } },
        },
      }),
    );
    const meshtail = await MeshtailProcess.start(config, adminPort, join(dir, 'meshtail.log'));
    expect(await collector.waitForRecords(100, 30_000)).toBe(100);
    // The SDK's batch span processor flushes at shutdown at the latest.
    expect((await meshtail.stop()).code).toBe(0);
    const spans: { name: string; attributes: { key: string; value: Record<string, unknown> }[] }[] = [];
    const end = Date.now() + 15_000;
    while (spans.length === 0 && Date.now() < end) {
      for (const out of collector.outputs) {
        let text = '';
        try {
          text = readFileSync(out, 'utf8');
        } catch {}
        for (const line of text.split('\n').filter(Boolean)) {
          for (const rs of JSON.parse(line).resourceSpans ?? []) {
            for (const ss of rs.scopeSpans) spans.push(...ss.spans);
          }
        }
      }
      if (spans.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    const batch = spans.find((s) => s.name === 'meshtail.pipeline.batch');
    expect(batch).toBeDefined();
    const attrs = Object.fromEntries(batch!.attributes.map((a) => [a.key, Object.values(a.value)[0]]));
    expect(attrs['meshtail.pipeline']).toBe('logs');
    expect(Number(attrs['meshtail.batch.records'])).toBeGreaterThan(0);
  });
});
