// Traces and metrics pipelines fed by a log receiver through a processor that derives them.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from '../../../agent/agent.ts';
import type { ProcessorFactory } from '../../../agent/component.ts';
import { loadConfigText } from '../../../agent/config/load-config.ts';
import { options } from '../../../agent/config/schema.ts';
import { formatConfigError } from '../../../agent/config/types.ts';
import { Registry } from '../../../agent/registry.ts';
import { attributesFactory } from '../../../processors/attributes/index.ts';
import { filelogFactory } from '../../../receivers/filelog/index.ts';
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
});
