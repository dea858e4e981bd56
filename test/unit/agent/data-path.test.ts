// The spine end to end in one process: filelog → worker pool (decode, processors, encode) → exporter,
// with backpressure, processor failures, worker deaths, drain on shutdown and checkpoints.
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from '../../../agent/agent.ts';
import type { ProcessorFactory } from '../../../agent/kit/component.ts';
import { options } from '../../../agent/kit/config/schema.ts';
import { Registry } from '../../../agent/registry.ts';
import { attributesFactory } from '../../../processors/attributes/factory.ts';
import { meshParseFactory } from '../../../processors/mesh_parse/factory.ts';
import { filelogFactory } from '../../../receivers/filelog/factory.ts';
import { agentConfig } from '../../support/agent-config.ts';
import { type Captured, captureFactory, newCapture } from '../../support/capture-exporter.ts';

const throwingFactory: ProcessorFactory = {
  kind: 'processor',
  type: 'throwing',
  description: 'test',
  signals: ['logs'],
  config: options({}),
  workerModule: new URL('../../support/throwing-processor.ts', import.meta.url).href,
};

const stateFactory: ProcessorFactory = {
  kind: 'processor',
  type: 'stateful',
  description: 'test',
  signals: ['logs'],
  config: options({}),
  workerModule: new URL('../../support/state-processor.ts', import.meta.url).href,
  createMain: (_settings, _config, state) => ({
    start: async () => state.publish({ label: 'from-main' }),
    shutdown: async () => {},
  }),
};

const tenantFactory: ProcessorFactory = {
  kind: 'processor',
  type: 'tenant',
  description: 'test',
  signals: ['logs'],
  config: options({}),
  workerModule: new URL('../../support/tenant-processor.ts', import.meta.url).href,
};

// The main-thread part sums what the workers emitted and, once it has seen 3 records, adds an event
// record of its own to the pipeline.
let aggregated = 0;
const aggregateFactory: ProcessorFactory = {
  kind: 'processor',
  type: 'summing',
  description: 'test',
  signals: ['logs'],
  config: options({}),
  workerModule: new URL('../../support/aggregate-processor.ts', import.meta.url).href,
  createMain: (_settings, _config, _state, output) => ({
    start: async () => {},
    shutdown: async () => {},
    consumeAggregates(aggregates) {
      for (const a of aggregates) aggregated += (a as { records: number }).records;
      if (aggregated === 3) {
        const record = {
          timeUnixNano: 1n,
          observedTimeUnixNano: 1n,
          severityNumber: 13,
          severityText: 'WARN',
          body: 'seen 3',
          attributes: { 'event.name': 'test.summary' },
        };
        void output.emitLogs({ resource: {}, scope: { name: 'meshtail' }, records: [record] });
      }
    },
  }),
};

const logger = pino({ level: 'silent' });
const agents: Agent[] = [];

afterEach(async () => {
  for (const a of agents.splice(0)) await a.shutdown(5000);
});

function setup(sink: Captured, delayMs = 0) {
  const dir = mkdtempSync(join(tmpdir(), 'meshtail-dp-'));
  const registry = new Registry([
    filelogFactory,
    attributesFactory,
    throwingFactory,
    stateFactory,
    tenantFactory,
    aggregateFactory,
    meshParseFactory,
    captureFactory(sink, delayMs),
  ]);
  return { dir, registry };
}

function start(
  registry: Registry,
  dir: string,
  extra: { processors?: Record<string, unknown>; workers?: object } = {},
) {
  const processors = extra.processors ?? {
    'attributes/env': { actions: [{ key: 'env', value: 'test', action: 'upsert' }] },
  };
  const config = agentConfig(registry, {
    receivers: {
      filelog: {
        include: [`${dir}/logs/**/*.log`],
        start_at: 'beginning',
        poll_interval: '20ms',
        checkpoint_interval: '50ms',
      },
    },
    processors,
    exporters: { capture: {} },
    service: {
      data_dir: join(dir, 'state'),
      workers: { threads: 2, ...extra.workers },
      pipelines: {
        logs: { receivers: ['filelog'], processors: Object.keys(processors), exporters: ['capture'] },
      },
    },
  });
  const agent = new Agent(config, registry, { logger });
  agents.push(agent);
  return agent;
}

async function until(cond: () => boolean, ms = 20_000) {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return cond();
}

function podLog(dir: string, name: string, lines: string[]) {
  const podDir = join(dir, 'logs', 'pods', `mesh_${name}_uid-${name}`, 'istio-proxy');
  mkdirSync(podDir, { recursive: true });
  const path = join(podDir, '0.log');
  writeFileSync(path, lines.map((l) => `${l}\n`).join(''));
  return path;
}

describe('data path', () => {
  it('delivers every line of every file with resource, file and processor attributes', async () => {
    const sink = newCapture();
    const { dir, registry } = setup(sink);
    const a = Array.from({ length: 3000 }, (_, i) => `a-${i}`);
    const b = Array.from({ length: 2000 }, (_, i) => `b-${i}`);
    const pathA = podLog(dir, 'pa', a);
    podLog(dir, 'pb', b);
    const agent = start(registry, dir);
    await agent.start();
    expect(await until(() => sink.bodies.length >= 5000)).toBe(true);
    expect(new Set(sink.bodies)).toEqual(new Set([...a, ...b]));
    const rec = sink.records.find((r) => r.body === 'a-7')!;
    expect(rec.attributes['log.file.path']).toBe(pathA);
    expect(rec.attributes.env).toBe('test');
    expect(rec.resource['k8s.pod.name']).toBe('pa');
    expect(rec.resource['k8s.container.name']).toBe('istio-proxy');
    expect(
      await agent.metrics.value('meshtail_receiver_accepted_records_total', { receiver: 'filelog' }),
    ).toBe(5000);
  });

  it('keeps records whose processor throws, marked and counted', async () => {
    const sink = newCapture();
    const { dir, registry } = setup(sink);
    podLog(dir, 'pc', ['ok-1', 'boom-2', 'ok-3']);
    const agent = start(registry, dir, { processors: { throwing: {} } });
    await agent.start();
    expect(await until(() => sink.bodies.length >= 3)).toBe(true);
    for (const r of sink.records)
      expect(String(r.attributes['meshtail.processor.error'])).toContain('boom in processor');
    expect(
      await agent.metrics.value('meshtail_processor_failed_records_total', { processor: 'throwing' }),
    ).toBe(3);
  });

  it('retries a batch whose worker died, then delivers it with processors bypassed', async () => {
    const sink = newCapture();
    const { dir, registry } = setup(sink);
    podLog(dir, 'pd', ['ok-1', 'die-2']);
    const agent = start(registry, dir, { processors: { throwing: {} }, workers: { max_attempts: 2 } });
    await agent.start();
    expect(await until(() => sink.bodies.length >= 2)).toBe(true);
    expect(sink.bodies.sort()).toEqual(['die-2', 'ok-1']);
    for (const r of sink.records)
      expect(String(r.attributes['meshtail.processor.error'])).toContain('worker failed 2 times');
    expect(await agent.metrics.value('meshtail_pipeline_worker_retries_total')).toBe(2);
  });

  it('pauses the receiver at max_inflight_batches and still delivers everything', async () => {
    const sink = newCapture();
    const { dir, registry } = setup(sink, 30);
    // Many files with reads too big to be joined (> 64 KiB): one batch each, far more than the limit.
    for (let f = 0; f < 40; f++) podLog(dir, `p${f}`, [`line-${f} ${'x'.repeat(70_000)}`]);
    const agent = start(registry, dir, { workers: { max_inflight_batches: 2 } });
    let peak = 0;
    const timer = setInterval(async () => {
      peak = Math.max(
        peak,
        await agent.metrics.value('meshtail_pipeline_inflight_batches', { pipeline: 'logs' }),
      );
    }, 5);
    await agent.start();
    expect(await until(() => sink.bodies.length >= 40)).toBe(true);
    clearInterval(timer);
    expect(sink.payloads.length).toBe(40);
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(2);
  });

  it('queues more admitted batches than threads² in the pool without rejecting any', async () => {
    const sink = newCapture();
    const { dir, registry } = setup(sink);
    for (let f = 0; f < 60; f++) podLog(dir, `q${f}`, [`q-${f} ${'x'.repeat(70_000)}`]);
    const agent = start(registry, dir, { workers: { threads: 1, max_inflight_batches: 32 } });
    await agent.start();
    expect(await until(() => sink.bodies.length >= 60)).toBe(true);
    expect(await agent.metrics.value('meshtail_pipeline_worker_retries_total')).toBe(0);
    expect(await agent.metrics.value('meshtail_pipeline_dropped_records_total')).toBe(0);
  });

  it('joins the small reads of many files into one batch, each file keeping its resource and offset', async () => {
    const sink = newCapture();
    const { dir, registry } = setup(sink);
    const tenants = ['acme', 'globex', 'none'];
    const paths = Array.from({ length: 60 }, (_, f) =>
      podLog(dir, `j${f}`, [`${tenants[f % 3]} j-${f}-a`, `${tenants[f % 3]} j-${f}-b`]),
    );
    const agent = start(registry, dir, { processors: { tenant: {} } });
    await agent.start();
    expect(await until(() => sink.bodies.length >= 120)).toBe(true);
    // All 60 files were there at the first pass: one batch, so one request per tenant.
    expect(sink.payloads.length).toBe(3);
    expect(new Map(sink.payloads.map((p) => [p.tenant, p.records]))).toEqual(
      new Map<string | undefined, number>([
        ['acme', 40],
        ['globex', 40],
        [undefined, 40],
      ]),
    );
    for (let f = 0; f < 60; f++) {
      const recs = sink.records.filter((r) => r.body.includes(` j-${f}-`));
      expect(recs.map((r) => r.resource['k8s.pod.name'])).toEqual([`j${f}`, `j${f}`]);
      expect(recs.map((r) => r.attributes['log.file.path'])).toEqual([paths[f], paths[f]]);
    }
    // Once more, in the other order: the parts now cross to workers that know each file's origin
    // by its key (agent/pool/task.ts WirePart), and every record must still get its own.
    for (let f = 59; f >= 0; f--) appendFileSync(paths[f]!, `${tenants[f % 3]} j-${f}-c\n`);
    expect(await until(() => sink.bodies.length >= 180)).toBe(true);
    for (let f = 0; f < 60; f++) {
      const recs = sink.records.filter((r) => r.body.includes(` j-${f}-`));
      expect(recs.map((r) => r.resource['k8s.pod.name'])).toEqual([`j${f}`, `j${f}`, `j${f}`]);
      expect(recs.map((r) => r.resource['k8s.pod.uid'])).toEqual([`uid-j${f}`, `uid-j${f}`, `uid-j${f}`]);
      expect(recs.map((r) => r.attributes['log.file.path'])).toEqual([paths[f], paths[f], paths[f]]);
    }
    expect(
      await agent.metrics.value('meshtail_receiver_accepted_records_total', { receiver: 'filelog' }),
    ).toBe(180);
    expect(await agent.shutdown(10_000)).toBe(true);
    const saved = JSON.parse(
      readFileSync(join(dir, 'state', 'receivers', 'filelog', 'checkpoints.json'), 'utf8'),
    ) as { files: { path: string; offset: number }[] };
    const offsets = new Map(saved.files.map((e) => [e.path, e.offset]));
    for (const p of paths) expect(offsets.get(p)).toBe(readFileSync(p).length);
  });

  it("gives workers the state a processor's main-thread part published", async () => {
    const sink = newCapture();
    const { dir, registry } = setup(sink);
    podLog(dir, 'ps', ['s-1', 's-2']);
    const agent = start(registry, dir, { processors: { stateful: {} } });
    await agent.start();
    expect(await until(() => sink.bodies.length >= 2)).toBe(true);
    expect(sink.records.map((r) => r.attributes['test.label'])).toEqual(['from-main', 'from-main']);
  });

  it('counts parse errors and access records missing a required label', async () => {
    const sink = newCapture();
    const { dir, registry } = setup(sink);
    const access =
      '[2024-11-05T10:00:00.123Z] "GET /api HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "-" "curl/8" "r-1" "orders:8080" "10.1.2.3:8080" outbound|8080||orders.shop.svc.cluster.local 10.1.0.7:51000 10.96.10.10:8080 10.1.0.7:40000 - default';
    podLog(dir, 'pm', [access, 'not a proxy line at all']);
    const agent = start(registry, dir, { processors: { mesh_parse: { required: ['user.id'] } } });
    await agent.start();
    expect(await until(() => sink.bodies.length >= 2)).toBe(true);
    const rec = sink.records.find((r) => r.body === access)!;
    expect(rec.attributes['http.request.method']).toBe('GET');
    expect(await agent.metrics.value('meshtail_pipeline_labels_missing_records_total')).toBe(1);
    expect(await agent.metrics.value('meshtail_pipeline_parse_error_records_total')).toBe(1);
  });

  it('splits a batch into one request per tenant and counts processor events', async () => {
    const sink = newCapture();
    const { dir, registry } = setup(sink);
    podLog(dir, 'pt', ['acme 1', 'globex 2', 'acme 3', 'none 4']);
    const agent = start(registry, dir, { processors: { tenant: {} } });
    await agent.start();
    expect(await until(() => sink.bodies.length >= 4)).toBe(true);
    const byTenant = new Map(sink.payloads.map((p) => [p.tenant, p.records]));
    expect(byTenant).toEqual(
      new Map<string | undefined, number>([
        ['acme', 2],
        ['globex', 1],
        [undefined, 1],
      ]),
    );
    expect(
      await agent.metrics.value('meshtail_processor_events_total', { processor: 'tenant', event: 'tagged' }),
    ).toBe(4);
  });

  it("merges workers' aggregates on the main thread and exports records the main part makes", async () => {
    const sink = newCapture();
    const { dir, registry } = setup(sink);
    podLog(dir, 'pg', ['g-1', 'g-2', 'g-3']);
    const agent = start(registry, dir, { processors: { summing: {} } });
    await agent.start();
    expect(await until(() => sink.bodies.includes('seen 3'))).toBe(true);
    expect(aggregated).toBe(3);
    expect(sink.records.find((r) => r.body === 'seen 3')!.attributes['event.name']).toBe('test.summary');
  });

  it('drains on shutdown and resumes from the checkpoint after a restart', async () => {
    const sink = newCapture();
    const { dir, registry } = setup(sink, 5);
    const first = Array.from({ length: 1000 }, (_, i) => `first-${i}`);
    const path = podLog(dir, 'pe', first);
    const agent = start(registry, dir);
    await agent.start();
    expect(await until(() => sink.bodies.length > 0)).toBe(true);
    expect(await agent.shutdown(10_000)).toBe(true);
    expect(sink.bodies.length).toBe(1000);
    const saved = JSON.parse(
      readFileSync(join(dir, 'state', 'receivers', 'filelog', 'checkpoints.json'), 'utf8'),
    );
    expect(saved.files[0].offset).toBe(readFileSync(path).length);

    appendFileSync(path, 'second-0\nsecond-1\n');
    const again = start(registry, dir);
    await again.start();
    expect(await until(() => sink.bodies.length >= 1002)).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(sink.bodies.slice(1000)).toEqual(['second-0', 'second-1']);
  });
});
