// Traces and metrics pipelines fed by a log receiver through a processor that derives them.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from '../../../agent/agent.ts';
import { loadConfigText } from '../../../agent/config/load-config.ts';
import type { ProcessorFactory } from '../../../agent/kit/component.ts';
import { formatConfigError } from '../../../agent/kit/config/config-error.ts';
import { options } from '../../../agent/kit/config/schema.ts';
import { Registry } from '../../../agent/registry.ts';
import { attributesFactory } from '../../../processors/attributes/factory.ts';
import { meshParseFactory } from '../../../processors/mesh_parse/factory.ts';
import { redMetricsFactory } from '../../../processors/red_metrics/factory.ts';
import { filelogFactory } from '../../../receivers/filelog/factory.ts';
import { captureFactory, newCapture } from '../../support/capture-exporter.ts';

const spansFactory: ProcessorFactory = {
  kind: 'processor',
  type: 'spans',
  description: 'test: one span per record',
  signals: ['logs'],
  derives: ['traces', 'metrics'],
  config: options({}),
  workerModule: new URL('../../support/span-processor.ts', import.meta.url).href,
};

const agents: Agent[] = [];
afterEach(async () => {
  for (const a of agents.splice(0)) await a.shutdown(5000);
});

function yaml(dir: string, tracesProcessors: string) {
  return `receivers:
  filelog: { include: ["${dir}/*.log"], start_at: beginning, poll_interval: 20ms }
processors:
  spans: {}
  attributes: {}
exporters:
  capture: {}
service:
  data_dir: ${dir}/state
  telemetry: { metrics: { address: null } }
  pipelines:
    traces: { receivers: [filelog], processors: [${tracesProcessors}], exporters: [capture] }
    metrics: { receivers: [filelog], processors: [spans], exporters: [capture] }
`;
}

describe('derived signals', () => {
  it('rejects a log receiver in a traces pipeline without a deriving processor', () => {
    const sink = newCapture();
    const registry = new Registry([filelogFactory, attributesFactory, spansFactory, captureFactory(sink)]);
    const dir = mkdtempSync(join(tmpdir(), 'meshtail-derived-'));
    const bad = loadConfigText(yaml(dir, 'attributes'), 'p.yaml', registry);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors.map(formatConfigError).join('\n')).toMatch(
        /receiver "filelog" does not support traces/,
      );
    }
    expect(loadConfigText(yaml(dir, 'attributes, spans'), 'p.yaml', registry).ok).toBe(true);
  });

  it('exports the spans and metrics a processor derived, as traces and metrics requests', async () => {
    const sink = newCapture();
    const registry = new Registry([filelogFactory, attributesFactory, spansFactory, captureFactory(sink)]);
    const dir = mkdtempSync(join(tmpdir(), 'meshtail-derived-'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.log'), 'GET /a\nGET /b\nGET /c\n');
    const loaded = loadConfigText(yaml(dir, 'attributes, spans'), 'p.yaml', registry);
    if (!loaded.ok) throw new Error(loaded.errors.map(formatConfigError).join('\n'));
    const agent = new Agent(loaded.config, registry, { logger: pino({ level: 'silent' }) });
    agents.push(agent);
    await agent.start();
    const end = Date.now() + 20_000;
    while (sink.payloads.length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    const traces = sink.payloads.find((p) => p.signal === 'traces')!;
    const metrics = sink.payloads.find((p) => p.signal === 'metrics')!;
    const spans = JSON.parse(Buffer.from(traces.bytes).toString()).resourceSpans[0].scopeSpans[0].spans;
    expect(spans.map((s: { name: string }) => s.name)).toEqual(['GET /a', 'GET /b', 'GET /c']);
    const gauge = JSON.parse(Buffer.from(metrics.bytes).toString()).resourceMetrics[0].scopeMetrics[0]
      .metrics[0];
    expect(gauge.name).toBe('test.records');
    expect(sink.payloads.some((p) => p.signal === 'logs')).toBe(false);
  });

  it("exports red_metrics' last totals at shutdown, before the exporters stop", async () => {
    const sink = newCapture();
    const registry = new Registry([
      filelogFactory,
      meshParseFactory,
      redMetricsFactory,
      captureFactory(sink),
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'meshtail-derived-'));
    const access =
      '[2024-11-05T10:00:00.123Z] "GET /api HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "-" "curl/8" "r-1" "orders:8080" "10.1.2.3:8080" outbound|8080||orders.shop.svc.cluster.local 10.1.0.7:51000 10.96.10.10:8080 10.1.0.7:40000 - default';
    writeFileSync(join(dir, 'a.log'), `${access}\n`.repeat(7));
    const loaded = loadConfigText(
      `receivers:
  filelog: { include: ["${dir}/*.log"], start_at: beginning, poll_interval: 20ms }
processors:
  mesh_parse: {}
  red_metrics: { interval: 1h }
exporters:
  capture: {}
service:
  data_dir: ${dir}/state
  telemetry: { metrics: { address: null } }
  pipelines:
    metrics: { receivers: [filelog], processors: [mesh_parse, red_metrics], exporters: [capture] }
`,
      'p.yaml',
      registry,
    );
    if (!loaded.ok) throw new Error(loaded.errors.map(formatConfigError).join('\n'));
    const agent = new Agent(loaded.config, registry, { logger: pino({ level: 'silent' }) });
    await agent.start();
    const end = Date.now() + 20_000;
    const accepted = () =>
      agent.metrics.value('meshtail_receiver_accepted_records_total', { receiver: 'filelog' });
    while ((await accepted()) < 7 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200)); // the workers' aggregates reach the main part
    const before = sink.payloads.length;
    expect(await agent.shutdown(10_000)).toBe(true);
    expect(sink.late).toEqual([]);
    expect(sink.payloads.length).toBe(before + 1); // the final totals
    const metrics = JSON.parse(Buffer.from(sink.payloads.at(-1)!.bytes).toString()).resourceMetrics[0]
      .scopeMetrics[0].metrics as {
      name: string;
      sum?: { dataPoints: { asInt?: string; asDouble?: number }[] };
    }[];
    const requests = metrics.find((m) => m.sum && /request/.test(m.name) && !/error/.test(m.name))!;
    const total = requests.sum!.dataPoints.reduce((n, p) => n + Number(p.asInt ?? p.asDouble ?? 0), 0);
    expect(total).toBe(7);
  });
});
