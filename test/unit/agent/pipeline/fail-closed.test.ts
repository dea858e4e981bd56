// Fail closed: when a guarding processor cannot run on a batch (its worker dies on every attempt,
// it throws, it runs past the time budget), none of the batch's lines reach an exporter; they are
// held sealed in data_dir/quarantine (0600 in 0700), counted, and a later start replays them
// through the processors.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from '../../../../agent/agent.ts';
import type { ProcessorFactory } from '../../../../agent/kit/component.ts';
import { options, z } from '../../../../agent/kit/config/schema.ts';
import { Registry } from '../../../../agent/registry.ts';
import { filelogFactory } from '../../../../receivers/filelog/factory.ts';
import { agentConfig } from '../../../support/agent-config.ts';
import { type Captured, captureFactory, newCapture } from '../../../support/capture-exporter.ts';

const faultFactory = (guards: boolean): ProcessorFactory => ({
  kind: 'processor',
  type: 'fault',
  description: 'test',
  signals: ['logs'],
  config: options({ fault: z.enum(['exit', 'throw', 'loop', 'none']) }),
  workerModule: new URL('../../../support/fault-processor.ts', import.meta.url).href,
  ...(guards && { guards: true }),
});

const logger = pino({ level: 'silent' });
const agents: Agent[] = [];
afterEach(async () => {
  for (const a of agents.splice(0)) await a.shutdown(5000);
});

interface Run {
  fault: 'exit' | 'throw' | 'loop' | 'none';
  /** Marks the processor guarding in the config (service.workers.guarding_processors), not the factory. */
  markInConfig?: boolean;
  factoryGuards?: boolean;
  workers?: object;
}

function start(dir: string, sink: Captured, run: Run) {
  const registry = new Registry([
    filelogFactory,
    faultFactory(run.factoryGuards ?? false),
    captureFactory(sink),
  ]);
  const config = agentConfig(registry, {
    receivers: {
      filelog: {
        include: [`${dir}/logs/**/*.log`],
        start_at: 'beginning',
        poll_interval: '20ms',
        checkpoint_interval: '50ms',
      },
    },
    processors: { fault: { fault: run.fault } },
    exporters: { capture: {} },
    service: {
      data_dir: join(dir, 'state'),
      workers: {
        threads: 1,
        max_attempts: 2,
        ...(run.markInConfig && { guarding_processors: ['fault'] }),
        ...run.workers,
      },
      pipelines: { logs: { receivers: ['filelog'], processors: ['fault'], exporters: ['capture'] } },
    },
  });
  const agent = new Agent(config, registry, { logger });
  agents.push(agent);
  return agent;
}

async function until(cond: () => boolean | Promise<boolean>, ms = 20_000) {
  const end = Date.now() + ms;
  while (!(await cond()) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return cond();
}

function podLog(dir: string, name: string, lines: string[]) {
  const podDir = join(dir, 'logs', 'pods', `mesh_${name}_uid-${name}`, 'istio-proxy');
  mkdirSync(podDir, { recursive: true });
  writeFileSync(join(podDir, '0.log'), lines.map((l) => `${l}\n`).join(''));
}

const held = (a: Agent) => a.metrics.value('meshtail_pipeline_held_records_total', { pipeline: 'logs' });
const quarantine = (dir: string) => join(dir, 'state', 'quarantine', 'logs');

describe('fail closed', () => {
  it('holds a batch whose worker dies on every attempt, sealed, and a replay delivers it processed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshtail-fc-'));
    const lines = ['token=s3cr3t-ok-1', 'token=s3cr3t-die-2', 'token=s3cr3t-ok-3'];
    podLog(dir, 'pa', lines);
    const sink = newCapture();
    const first = start(dir, sink, { fault: 'exit', markInConfig: true });
    await first.start();
    expect(await until(async () => (await held(first)) === 3)).toBe(true);
    expect(await first.metrics.value('meshtail_pipeline_worker_retries_total')).toBe(2);
    await first.shutdown(5000);
    // Nothing left in clear, or at all.
    expect(sink.bodies).toEqual([]);
    const files = readdirSync(quarantine(dir));
    expect(files).toHaveLength(1);
    const file = join(quarantine(dir), files[0]!);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(quarantine(dir)).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'state', 'quarantine', 'key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(file).includes('s3cr3t')).toBe(false);

    // The cause is fixed; the next start replays the held batch through the processor.
    const second = start(dir, sink, { fault: 'none', markInConfig: true });
    await second.start();
    expect(await until(() => sink.bodies.length >= 3)).toBe(true);
    expect(new Set(sink.bodies)).toEqual(new Set(lines));
    for (const r of sink.records) expect(r.attributes['test.seen']).toBe(true);
    expect(await second.metrics.value('meshtail_pipeline_replayed_records_total', { pipeline: 'logs' })).toBe(
      3,
    );
    expect(readdirSync(quarantine(dir))).toEqual([]);
  });

  it('keeps a held batch held, once, when its replay fails again; an altered file stays unopened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshtail-fc-'));
    podLog(dir, 'pf', ['f-ok', 'f-die']);
    const sink = newCapture();
    const first = start(dir, sink, { fault: 'throw', factoryGuards: true });
    await first.start();
    expect(await until(async () => (await held(first)) === 2)).toBe(true);
    await first.shutdown(5000);
    const [name] = readdirSync(quarantine(dir));
    const bytes = readFileSync(join(quarantine(dir), name!));
    bytes[bytes.length - 1]! ^= 1;
    writeFileSync(join(quarantine(dir), 'altered.held'), bytes);

    const second = start(dir, sink, { fault: 'throw', factoryGuards: true });
    await second.start();
    expect(sink.bodies).toEqual([]);
    expect(await held(second)).toBe(0);
    expect(readdirSync(quarantine(dir)).sort()).toEqual([name, 'altered.held'].sort());
  });

  it('holds a batch a guarding processor throws on, with nothing marked and sent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshtail-fc-'));
    podLog(dir, 'pb', ['a-ok', 'b-die']);
    const sink = newCapture();
    const agent = start(dir, sink, { fault: 'throw', factoryGuards: true });
    await agent.start();
    expect(await until(async () => (await held(agent)) === 2)).toBe(true);
    expect(sink.bodies).toEqual([]);
    expect(await agent.metrics.value('meshtail_processor_failed_records_total')).toBe(0);
  });

  it('keeps the old marker path for a processor that guards nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshtail-fc-'));
    podLog(dir, 'pc', ['a-ok', 'b-die']);
    const sink = newCapture();
    const agent = start(dir, sink, { fault: 'throw' });
    await agent.start();
    expect(await until(() => sink.bodies.length >= 2)).toBe(true);
    for (const r of sink.records) expect(r.attributes['meshtail.processor.error']).toBeDefined();
    expect(await held(agent)).toBe(0);
  });

  it('cuts a stuck worker at the time budget, holds its batch and goes on with the next', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshtail-fc-'));
    podLog(dir, 'pd', ['x-ok', 'x-die']);
    const sink = newCapture();
    const agent = start(dir, sink, {
      fault: 'loop',
      factoryGuards: true,
      workers: { task_timeout: '300ms' },
    });
    await agent.start();
    expect(await until(async () => (await held(agent)) === 2)).toBe(true);
    expect(await agent.metrics.value('meshtail_pipeline_task_timeouts_total', { pipeline: 'logs' })).toBe(1);
    podLog(dir, 'pe', ['y-ok-1', 'y-ok-2']);
    expect(await until(() => sink.bodies.length >= 2)).toBe(true);
    expect(sink.bodies.sort()).toEqual(['y-ok-1', 'y-ok-2']);
  });
});
