// The running agent: builds the graph from a validated config through the registry, starts it
// (exporters, pool, receivers), and drains it on shutdown (receivers stop, in-flight batches
// deliver, exporters flush, the pool closes) within service.shutdown_timeout.

import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Component, ComponentSettings, Exporter, ProcessorMain, ProcessorOutput } from './component.ts';
import type { AgentConfig } from './config/types.ts';
import { Fanout } from './pipeline/fanout.ts';
import { Pipeline } from './pipeline/pipeline.ts';
import { Quarantine } from './pipeline/quarantine.ts';
import type { Signal } from './pipeline/signal.ts';
import { cpuLimit } from './pool/cpu-limit.ts';
import { SharedStateWriter } from './pool/shared-state.ts';
import type { PipelinePlan } from './pool/task.ts';
import { WorkerPool } from './pool/worker-pool.ts';
import type { Registry } from './registry.ts';
import { watchEventLoop } from './telemetry/event-loop.ts';
import { SelfMetrics } from './telemetry/self-metrics.ts';

export interface AgentOptions {
  logger: Logger;
  metrics?: SelfMetrics;
}

export class Agent {
  readonly metrics: SelfMetrics;
  readonly pool: WorkerPool;
  readonly pipelines: Pipeline[] = [];
  readonly #logger: Logger;
  readonly #config: AgentConfig;
  readonly #exporters = new Map<string, Exporter>();
  readonly #receivers = new Map<string, Component>();
  readonly #processorMains = new Map<string, ProcessorMain>();
  readonly #fanouts: Fanout[] = [];
  #state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';
  #eventLoop: { stop(): void } | undefined;

  constructor(config: AgentConfig, registry: Registry, options: AgentOptions) {
    this.#config = config;
    this.#logger = options.logger;
    this.metrics = options.metrics ?? new SelfMetrics();
    const service = config.service;
    const settings = (id: string, type: string): ComponentSettings => ({
      id,
      type,
      dataDir: service.data_dir,
      logger: this.#logger.child({ component: id }),
      metrics: this.metrics,
    });

    for (const [id, c] of config.exporters) {
      this.#exporters.set(id, registry.exporter(c.type)!.create(settings(id, c.type), c.config));
    }
    // A processor with a main-thread part (state for its workers, aggregates from them, records of
    // its own) runs once, whatever the pipelines.
    const states = new Map<string, SharedArrayBuffer>();
    for (const [id, c] of config.processors) {
      const factory = registry.processor(c.type)!;
      if (!factory.createMain) continue;
      const writer = new SharedStateWriter();
      const runsIt = () => this.pipelines.filter((p) => service.pipelines[p.id]!.processors.includes(id));
      const output: ProcessorOutput = {
        emitLogs: async (batch) => {
          await Promise.all(runsIt().map((p) => p.inject('logs', batch)));
        },
        emitMetrics: async (batch) => {
          await Promise.all(runsIt().map((p) => p.inject('metrics', batch)));
        },
      };
      this.#processorMains.set(id, factory.createMain(settings(id, c.type), c.config, writer, output));
      states.set(id, writer.buffer);
    }
    const plans: Record<string, PipelinePlan> = {};
    const marked = new Set(service.workers.guarding_processors);
    // A mistyped id would leave the processor it meant unguarded: refuse it.
    for (const id of marked)
      if (!config.processors.has(id))
        throw new Error(
          `service.workers.guarding_processors names "${id}", which is not a defined processor`,
        );
    const guards = (id: string) =>
      marked.has(id) || registry.processor(config.processors.get(id)!.type)!.guards === true;
    for (const [pid, p] of Object.entries(service.pipelines)) {
      plans[pid] = {
        signal: signalOf(pid),
        processors: p.processors.map((id) => {
          const c = config.processors.get(id)!;
          const module = registry.processor(c.type)!.workerModule;
          const state = states.get(id);
          const link = { id, module, config: c.config, guards: guards(id) };
          return state ? { ...link, state } : link;
        }),
        encodings: [...new Set(p.exporters.map((id) => this.#exporters.get(id)!.encoding))],
        maxAttempts: service.workers.max_attempts,
      };
    }
    const threads = service.workers.threads ?? cpuLimit();
    this.pool = new WorkerPool({ threads, data: { pipelines: plans }, metrics: this.metrics });
    for (const [pid, p] of Object.entries(service.pipelines)) {
      this.pipelines.push(
        new Pipeline({
          id: pid,
          signal: signalOf(pid),
          pool: this.pool,
          exporters: p.exporters.map((id) => this.#exporters.get(id)!),
          maxInflight: service.workers.max_inflight_batches ?? threads * 4,
          maxAttempts: service.workers.max_attempts,
          guarded: p.processors.some(guards),
          quarantine: new Quarantine(join(service.data_dir, 'quarantine'), pid),
          taskTimeoutMs: service.workers.task_timeout,
          metrics: this.metrics,
          logger: this.#logger,
          onAggregates: (aggregates, pipeline) => {
            for (const a of aggregates)
              this.#processorMains.get(a.processor)?.consumeAggregates?.([a.data], pipeline);
          },
        }),
      );
    }
    const accepted = this.metrics.counter(
      'meshtail_receiver_accepted_records_total',
      'Records read by a receiver and admitted into its pipelines.',
      ['receiver'],
    );
    for (const [id, c] of config.receivers) {
      const fed = this.pipelines.filter((p) => service.pipelines[p.id]!.receivers.includes(id));
      const fanout = new Fanout(id, fed, accepted);
      this.#fanouts.push(fanout);
      this.#receivers.set(id, registry.receiver(c.type)!.create(settings(id, c.type), c.config, fanout));
    }
  }

  get ready(): boolean {
    return this.#state === 'running';
  }

  async start(): Promise<void> {
    this.#eventLoop = watchEventLoop(this.metrics);
    for (const e of this.#exporters.values()) await e.start();
    for (const p of this.#processorMains.values()) await p.start();
    // What an earlier run held (fail closed) goes first, through processors that may now work.
    for (const p of this.pipelines) await p.replayHeld();
    for (const r of this.#receivers.values()) await r.start();
    this.#state = 'running';
    this.#logger.info(
      { pipelines: this.pipelines.map((p) => p.id), threads: this.pool.threads },
      'meshtail running',
    );
  }

  /** Stops reading, delivers what is in flight, flushes exporters. Resolves true if it all fit in the timeout. */
  async shutdown(timeoutMs = this.#config.service.shutdown_timeout): Promise<boolean> {
    if (this.#state === 'stopping' || this.#state === 'stopped') return true;
    this.#state = 'stopping';
    const deadline = Date.now() + timeoutMs;
    // Receivers stop reading and wait for what they sent, so their last checkpoint covers it.
    const drained = await withDeadline(
      Promise.all([
        ...[...this.#receivers.values()].map((r) => r.shutdown()),
        ...this.#fanouts.map((f) => f.drain()),
      ]),
      deadline,
    );
    if (!drained)
      this.#logger.warn({ timeoutMs }, 'shutdown timeout: batches still in flight are left to the exporters');
    // Processor mains send what they still hold (red_metrics' last totals, anomaly's state) while
    // the exporters still take it; then exporters drain their queues until the deadline and count
    // what is left as dropped.
    for (const p of this.#processorMains.values()) await p.shutdown();
    await Promise.all([...this.#exporters.values()].map((e) => e.shutdown()));
    await this.pool.close();
    this.#eventLoop?.stop();
    this.#state = 'stopped';
    return drained;
  }
}

export function signalOf(pipelineId: string): Signal {
  return pipelineId.split('/')[0] as Signal;
}

async function withDeadline(p: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([p.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
