// RED metrics at the real OpenTelemetry Collector: demo sidecar traffic through filelog → mesh_parse
// → red_metrics → otlp_grpc, once cumulative (the main part's running totals) and once delta (per
// batch from the workers). The request counts received equal the access records written, the error
// counts equal the 5xx records, and every histogram counts what its series counts.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../agent/agent.ts';
import { loadConfigText } from '../../agent/config/load-config.ts';
import { formatConfigError } from '../../agent/kit/config/config-error.ts';
import { Collector, requireCollector } from '../support/collector.ts';
import { MESH_PARSE_YAML, type WrittenTraffic, writeDemoPods } from '../support/demo-pods.ts';
import { derivedRegistry } from '../support/derived-registry.ts';

requireCollector();

interface Point {
  attributes?: { key: string; value: Record<string, unknown> }[];
  asInt?: string;
  count?: string;
  timeUnixNano: string;
}
interface Totals {
  requests: number;
  errors: number;
  histogramCount: number;
  series: number;
}

/** Sums the received points: delta adds every point; cumulative keeps each series' latest. */
function totals(files: readonly string[], temporality: 1 | 2): Totals {
  const latest = new Map<string, { t: bigint; v: number }>();
  const add = (key: string, p: Point, v: number) => {
    const t = BigInt(p.timeUnixNano);
    if (temporality === 1) latest.set(`${key}\u0000${latest.size}`, { t, v });
    else if ((latest.get(key)?.t ?? -1n) <= t) latest.set(key, { t, v });
  };
  for (const f of files) {
    if (!existsSync(f)) continue;
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      if (!line.startsWith('{')) continue;
      for (const rm of JSON.parse(line).resourceMetrics ?? [])
        for (const sm of rm.scopeMetrics ?? [])
          for (const m of sm.metrics ?? []) {
            const body = m.sum ?? m.histogram ?? m.exponentialHistogram;
            if (!body || (body.aggregationTemporality ?? 0) !== temporality) continue;
            for (const p of body.dataPoints as Point[]) {
              const attrs = JSON.stringify(p.attributes ?? []);
              const res = JSON.stringify(rm.resource?.attributes ?? []);
              add(`${m.name}\u0000${res}\u0000${attrs}`, p, Number(p.asInt ?? p.count ?? 0));
            }
          }
    }
  }
  const out: Totals = { requests: 0, errors: 0, histogramCount: 0, series: 0 };
  for (const [key, { v }] of latest) {
    const name = key.slice(0, key.indexOf('\u0000'));
    if (name === 'mesh.request.count') {
      out.requests += v;
      out.series++;
    } else if (name === 'mesh.request.errors') out.errors += v;
    else if (name === 'mesh.request.duration') out.histogramCount += v;
  }
  return out;
}

describe('RED metrics at the real Collector', () => {
  let dir: string;
  let collector: Collector;
  let agent: Agent | undefined;
  let written: WrittenTraffic;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meshtail-red-'));
    collector = await Collector.start(join(dir, 'collector'));
    written = writeDemoPods(join(dir, 'pods'), 3000);
  }, 60_000);

  afterAll(async () => {
    await agent?.shutdown(5000);
    await collector?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('receives request and error counts equal to the access-log counts, cumulative and delta', async () => {
    expect(written.requests).toBeGreaterThan(2500);
    expect(written.errors5xx).toBeGreaterThan(0);
    const yaml = `receivers:
  filelog: { include: [${JSON.stringify(written.include)}], start_at: beginning, format: cri, poll_interval: 50ms }
processors:
  mesh_parse: ${MESH_PARSE_YAML}
  red_metrics: { interval: 200ms }
  red_metrics/delta: { temporality: delta, histogram: { type: exponential } }
exporters:
  otlp_grpc: { endpoint: ${collector.grpcEndpoint}, tls: { insecure: true } }
service:
  data_dir: ${JSON.stringify(join(dir, 'state'))}
  telemetry: { metrics: { address: null } }
  pipelines:
    metrics: { receivers: [filelog], processors: [mesh_parse, red_metrics], exporters: [otlp_grpc] }
    metrics/delta: { receivers: [filelog], processors: [mesh_parse, red_metrics/delta], exporters: [otlp_grpc] }
`;
    writeFileSync(join(dir, 'meshtail.yaml'), yaml);
    const loaded = loadConfigText(yaml, 'meshtail.yaml', derivedRegistry());
    if (!loaded.ok) throw new Error(loaded.errors.map(formatConfigError).join('\n'));
    agent = new Agent(loaded.config, derivedRegistry(), { logger: pino({ level: 'warn' }) });
    await agent.start();

    const want = { requests: written.requests, errors: written.errors5xx, histogramCount: written.requests };
    const end = Date.now() + 45_000;
    let cumulative = totals(collector.outputs, 2);
    let delta = totals(collector.outputs, 1);
    const done = () =>
      cumulative.requests === want.requests &&
      delta.requests === want.requests &&
      cumulative.errors === want.errors &&
      delta.errors === want.errors;
    while (!done() && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 250));
      cumulative = totals(collector.outputs, 2);
      delta = totals(collector.outputs, 1);
    }
    expect(cumulative).toMatchObject(want);
    expect(delta).toMatchObject(want);
    // Series per source, destination, direction and status class: a few dozen in the bookinfo mesh.
    expect(cumulative.series).toBeGreaterThan(5);
    expect(cumulative.series).toBeLessThan(200);
  }, 90_000);
});
