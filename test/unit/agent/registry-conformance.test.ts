// One conformance test over the registry (STYLE.md): every component validates a minimal config,
// goes through create → start → one batch → shutdown, survives shutdown before start and twice,
// and exposes only its factory from factory.ts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../../agent/default-registry.ts';
import type { ComponentSettings, RawBatch } from '../../../agent/kit/component.ts';
import { encodeLogs } from '../../../agent/kit/otlp/encoder.ts';
import type { ProcessorModule } from '../../../agent/kit/worker/processor.ts';
import { SharedStateWriter } from '../../../agent/kit/worker/shared-state.ts';
import { SelfMetrics } from '../../../agent/telemetry/self-metrics.ts';
import { tempKeyring } from '../../support/encrypt-keyring.ts';
import { testContext, testOutput } from '../../support/processor-context.ts';

const dir = mkdtempSync(join(tmpdir(), 'meshtail-conf-'));
const logFile = join(dir, 'in.log');
writeFileSync(logFile, 'one\ntwo\n');
// A closed loopback port: exporters must settle (failed, counted) rather than hang.
const noRetry = { retry_on_failure: { enabled: false }, timeout: '500ms' };

const minimal: Record<string, Record<string, unknown>> = {
  'receiver/filelog': { include: [logFile], start_at: 'beginning', poll_interval: '10ms' },
  'receiver/stdin': {},
  'processor/k8s_metadata': { auth_type: 'none', api_server: 'http://127.0.0.1:1', peers: 'none' },
  'processor/mesh_parse': {},
  'processor/anomaly': {},
  'exporter/alertmanager': { endpoint: 'http://127.0.0.1:1', ...noRetry },
  'processor/rbac': {
    policy_inline:
      'roles: { sre: { description: x } }\nrules: []\ndefault: { tenant: t, classification: internal, audience: [sre] }\n',
  },
  'processor/redact': {},
  'processor/spans': {},
  'processor/red_metrics': {},
  'processor/filter': { drop_when: [{ attribute: 'x', exists: true }] },
  'processor/encrypt': { keyring: tempKeyring().dir },
  'processor/batch': {},
  'processor/memory_limiter': { limit_mib: 1_000_000 },
  'processor/attributes': { actions: [{ key: 'k', value: 'v', action: 'insert' }] },
  'exporter/otlp_grpc': { endpoint: '127.0.0.1:1', tls: { insecure: true }, ...noRetry },
  'exporter/otlp_http': { endpoint: 'http://127.0.0.1:1', ...noRetry },
  'exporter/file': { path: join(dir, 'out.jsonl') },
  'exporter/debug': { verbosity: 'basic' },
};

function settings(id: string): ComponentSettings & { metrics: SelfMetrics } {
  return {
    id,
    type: id,
    dataDir: join(dir, 'state'),
    logger: pino({ level: 'silent' }),
    metrics: new SelfMetrics(),
  };
}

const batch = {
  resource: { 'service.name': 'conformance' },
  scope: { name: 'meshtail' },
  records: [
    {
      timeUnixNano: 1n,
      observedTimeUnixNano: 2n,
      severityNumber: 9,
      severityText: 'INFO',
      body: 'x',
      attributes: {},
    },
  ],
};

describe.each(defaultRegistry.all().map((f) => [`${f.kind}/${f.type}`, f] as const))('%s', (key, factory) => {
  it('has a minimal config here, which validates with defaults applied', () => {
    expect(minimal[key], `add ${key} to the conformance table`).toBeDefined();
    expect(factory.config.safeParse(minimal[key]).success).toBe(true);
    expect(factory.description.length).toBeGreaterThan(10);
    expect(factory.signals.length).toBeGreaterThan(0);
  });

  it('rejects unknown options', () => {
    expect(factory.config.safeParse({ ...minimal[key], no_such_option: 1 }).success).toBe(false);
  });

  it('runs create → start → one batch → shutdown; shutdown is safe before start and twice', async () => {
    const config = factory.config.parse(minimal[key]);
    if (factory.kind === 'processor') {
      const mod = (await import(factory.workerModule)) as ProcessorModule;
      const process = mod.createProcessor(config, testContext(factory.type));
      const b = structuredClone(batch);
      process(b);
      expect(b.records.length).toBeGreaterThan(0);
      if (factory.createMain) {
        const unstarted = factory.createMain(settings(key), config, new SharedStateWriter(), testOutput());
        await unstarted.shutdown();
        const main = factory.createMain(settings(key), config, new SharedStateWriter(), testOutput());
        await main.start();
        await main.shutdown();
        await main.shutdown();
      }
      return;
    }
    if (factory.kind === 'receiver') {
      const got: RawBatch[] = [];
      const next = {
        consume: async (b: RawBatch) => {
          got.push(b);
          return { done: Promise.resolve() };
        },
      };
      const unstarted = factory.create(settings(key), config, next);
      await unstarted.shutdown();
      const r =
        factory.type === 'stdin'
          ? new (await import('../../../receivers/stdin/receiver.ts')).StdinReceiver(
              settings(key),
              config as never,
              next,
              feed('one\ntwo\n'),
            )
          : factory.create(settings(key), config, next);
      await r.start();
      for (let i = 0; i < 200 && got.length === 0; i++) await new Promise((res) => setTimeout(res, 10));
      await r.shutdown();
      await r.shutdown();
      expect(Buffer.from(got[0]!.data).toString()).toBe('one\ntwo\n');
      return;
    }
    const unstarted = factory.create(settings(key), config);
    await unstarted.shutdown();
    const s = settings(key);
    const e = factory.create(s, config);
    await e.start();
    await e.export({ signal: 'logs', bytes: encodeLogs([batch], e.encoding), records: 1 });
    await e.shutdown();
    await e.shutdown();
    const sent = await s.metrics.value('meshtail_exporter_sent_records_total');
    const failed = await s.metrics.value('meshtail_exporter_failed_records_total');
    expect(sent + failed).toBe(1);
  });

  it('exposes only its factory from factory.ts', async () => {
    const folder =
      factory.kind === 'receiver' ? 'receivers' : factory.kind === 'processor' ? 'processors' : 'exporters';
    const mod = await import(`../../../${folder}/${factory.type}/factory.ts`);
    expect(Object.keys(mod)).toEqual([expect.stringMatching(/Factory$/)]);
    expect(Object.values(mod)[0]).toBe(factory);
  });
});

function feed(text: string) {
  const s = new PassThrough();
  s.end(text);
  return s;
}
