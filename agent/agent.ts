// The running agent: builds the graph from a validated config through the registry, starts it
// (exporters, pool, receivers), reloads it in place (reload()), and drains it on shutdown
// (receivers stop, in-flight batches deliver, exporters flush, the pool closes) within
// service.shutdown_timeout.

import { join } from 'node:path';
import type { Logger } from 'pino';
import { fingerprint } from './config/fingerprint.ts';
import type { AgentConfig, ComponentConfig } from './config/types.ts';
import { type AdmissionControl, admitAll, isAdmissionControl } from './kit/admission.ts';
import type {
  Component,
  ComponentSettings,
  Exporter,
  ProcessorMain,
  ProcessorOutput,
} from './kit/component.ts';
import type { Signal } from './kit/record/signal.ts';
import { SharedStateWriter } from './kit/worker/shared-state.ts';
import { Fanout } from './pipeline/fanout.ts';
import { Pipeline } from './pipeline/pipeline.ts';
import { Quarantine } from './pipeline/quarantine.ts';
import { ReceiverInlet } from './pipeline/receiver-inlet.ts';
import { defaultThreads } from './pool/cpu-limit.ts';
import type { PipelinePlan } from './pool/task.ts';
import { WorkerPool } from './pool/worker-pool.ts';
import type { Registry } from './registry.ts';
import { emptySummary, planReload, type ReloadSummary } from './reload-plan.ts';
import { watchEventLoop } from './telemetry/event-loop.ts';
import type { CounterHandle } from './telemetry/self-metrics.ts';
import { SelfMetrics } from './telemetry/self-metrics.ts';

export interface AgentOptions {
  logger: Logger;
  metrics?: SelfMetrics;
}

interface Running<T> {
  fingerprint: string;
  instance: T;
}

interface ReceiverEntry extends Running<Component> {
  inlet: ReceiverInlet;
}

interface MainEntry extends Running<ProcessorMain> {
  state: SharedArrayBuffer;
}

/** The part rebuilt by every reload: the pool (its workers hold the pipeline plans) and the pipelines. */
interface Graph {
  pool: WorkerPool;
  pipelines: Pipeline[];
}

export class Agent {
  readonly metrics: SelfMetrics;
  readonly #logger: Logger;
  readonly #registry: Registry;
  #config: AgentConfig;
  readonly #exporters = new Map<string, Running<Exporter>>();
  readonly #receivers = new Map<string, ReceiverEntry>();
  readonly #processorMains = new Map<string, MainEntry>();
  #graph: Graph;
  readonly #accepted: CounterHandle;
  #state: 'new' | 'running' | 'reloading' | 'stopping' | 'stopped' = 'new';
  #eventLoop: { stop(): void } | undefined;

  constructor(config: AgentConfig, registry: Registry, options: AgentOptions) {
    this.#config = config;
    this.#registry = registry;
    this.#logger = options.logger;
    this.metrics = options.metrics ?? new SelfMetrics();
    this.#accepted = this.metrics.counter(
      'meshtail_receiver_accepted_records_total',
      'Records read by a receiver and admitted into its pipelines.',
      ['receiver'],
    );
    for (const [id, c] of config.exporters) this.#exporters.set(id, this.#createExporter(c));
    for (const [id, c] of config.processors) {
      const main = this.#createMain(c);
      if (main) this.#processorMains.set(id, main);
    }
    this.#graph = this.#createGraph(config);
    for (const [id, c] of config.receivers) this.#receivers.set(id, this.#createReceiver(c));
  }

  get pool(): WorkerPool {
    return this.#graph.pool;
  }

  get pipelines(): readonly Pipeline[] {
    return this.#graph.pipelines;
  }

  get config(): AgentConfig {
    return this.#config;
  }

  get ready(): boolean {
    return this.#state === 'running' || this.#state === 'reloading';
  }

  /** False once the pipelines have stopped (after shutdown). */
  get live(): boolean {
    return this.#state !== 'stopped';
  }

  /** Ids of the running exporters, for health checks. */
  get exporterIds(): string[] {
    return [...this.#exporters.keys()];
  }

  /** True while an admission control (memory_limiter) refuses batches. */
  get refusing(): boolean {
    return [...this.#processorMains.values()].some(
      (m) => isAdmissionControl(m.instance) && m.instance.refusing,
    );
  }

  async start(): Promise<void> {
    this.#eventLoop = watchEventLoop(this.metrics);
    for (const e of this.#exporters.values()) await e.instance.start();
    for (const p of this.#processorMains.values()) await p.instance.start();
    // What an earlier run held (fail closed) goes first, through processors that may now work.
    for (const p of this.pipelines) await p.replayHeld();
    for (const r of this.#receivers.values()) await r.instance.start();
    this.#state = 'running';
    this.#logger.info(
      { pipelines: this.pipelines.map((p) => p.id), threads: this.pool.threads },
      'meshtail running',
    );
  }

  /**
   * Applies a new, already validated config in place. Components whose type, options and TLS files
   * are unchanged keep running (receivers keep their offsets); batches already admitted finish under
   * the old pipelines; reading pauses meanwhile and resumes into the new ones. The pool and the
   * pipelines are always rebuilt (the workers hold the plans).
   */
  async reload(config: AgentConfig): Promise<ReloadSummary> {
    if (this.#state !== 'running') throw new Error(`cannot reload while ${this.#state}`);
    this.#state = 'reloading';
    const summary = emptySummary();
    try {
      const receivers = planReload(this.#receivers, config.receivers, summary);
      const mains = planReload(
        this.#processorMains,
        new Map([...config.processors].filter(([, c]) => this.#registry.processor(c.type)?.createMain)),
        summary,
      );
      const exporters = planReload(this.#exporters, config.exporters, summary);
      const deadline = Date.now() + config.service.shutdown_timeout;

      // Receivers that go away stop first, delivering what they read through the old pipelines.
      for (const id of receivers.stop) {
        await this.#receivers.get(id)!.instance.shutdown();
        this.#receivers.delete(id);
      }
      // The others pause at admission while what already entered the old pipelines is delivered.
      const kept = [...this.#receivers.values()];
      for (const r of kept) r.inlet.hold();
      const draining = Promise.all(kept.map((r) => r.inlet.drain()));
      const drained = await withDeadline(draining, deadline);
      if (!drained)
        this.#logger.warn('reload: batches still in flight at the deadline go on under the old exporters');
      for (const id of mains.stop) {
        await this.#processorMains.get(id)!.instance.shutdown();
        this.#processorMains.delete(id);
      }
      for (const id of exporters.stop) {
        await this.#exporters.get(id)!.instance.shutdown();
        this.#exporters.delete(id);
      }
      const oldPool = this.#graph.pool;

      this.#config = config;
      for (const id of exporters.start) {
        const e = this.#createExporter(config.exporters.get(id)!);
        await e.instance.start();
        this.#exporters.set(id, e);
      }
      for (const id of mains.start) {
        const m = this.#createMain(config.processors.get(id)!)!;
        await m.instance.start();
        this.#processorMains.set(id, m);
      }
      this.#graph = this.#createGraph(config);
      for (const [id, r] of this.#receivers) r.inlet.release(this.#fanoutFor(id));
      for (const id of receivers.start) {
        const r = this.#createReceiver(config.receivers.get(id)!);
        this.#receivers.set(id, r);
        await r.instance.start();
      }
      // Batches past the deadline (an exporter down, memory_limiter refusing) still run on the old
      // pool: it closes once they are through.
      if (drained) await oldPool.close();
      else void draining.then(() => oldPool.close());
      this.#logger.info({ ...summary, pipelines: this.pipelines.map((p) => p.id) }, 'config reloaded');
      return summary;
    } finally {
      this.#state = 'running';
    }
  }

  /** Stops reading, delivers what is in flight, flushes exporters. Resolves true if it all fit in the timeout. */
  async shutdown(timeoutMs = this.#config.service.shutdown_timeout): Promise<boolean> {
    if (this.#state === 'stopping' || this.#state === 'stopped') return true;
    this.#state = 'stopping';
    const deadline = Date.now() + timeoutMs;
    // Receivers stop reading and wait for what they sent, so their last checkpoint covers it.
    const receivers = [...this.#receivers.values()];
    const drained = await withDeadline(
      Promise.all([...receivers.map((r) => r.instance.shutdown()), ...receivers.map((r) => r.inlet.drain())]),
      deadline,
    );
    if (!drained)
      this.#logger.warn({ timeoutMs }, 'shutdown timeout: batches still in flight are left to the exporters');
    // Processor mains send what they still hold (red_metrics' last totals, anomaly's state) while
    // the exporters still take it; then exporters drain their queues until the deadline and count
    // what is left as dropped.
    for (const p of this.#processorMains.values()) await p.instance.shutdown();
    await Promise.all([...this.#exporters.values()].map((e) => e.instance.shutdown()));
    await this.pool.close();
    this.#eventLoop?.stop();
    this.#state = 'stopped';
    return drained;
  }

  #settings(id: string, type: string): ComponentSettings {
    return {
      id,
      type,
      dataDir: this.#config.service.data_dir,
      logger: this.#logger.child({ component: id }),
      metrics: this.metrics,
    };
  }

  #createExporter(c: ComponentConfig): Running<Exporter> {
    const instance = this.#registry.exporter(c.type)!.create(this.#settings(c.id, c.type), c.config);
    return { fingerprint: fingerprint(c), instance };
  }

  // A processor with a main-thread part (state for its workers, aggregates from them, records of
  // its own) runs once, whatever the pipelines.
  #createMain(c: ComponentConfig): MainEntry | undefined {
    const factory = this.#registry.processor(c.type)!;
    if (!factory.createMain) return undefined;
    const writer = new SharedStateWriter();
    const runsIt = () =>
      this.pipelines.filter((p) => this.#config.service.pipelines[p.id]?.processors.includes(c.id));
    const output: ProcessorOutput = {
      emitLogs: async (batch) => {
        await Promise.all(runsIt().map((p) => p.inject('logs', batch)));
      },
      emitMetrics: async (batch) => {
        await Promise.all(runsIt().map((p) => p.inject('metrics', batch)));
      },
    };
    const instance = factory.createMain(this.#settings(c.id, c.type), c.config, writer, output);
    return { fingerprint: fingerprint(c), instance, state: writer.buffer };
  }

  #createGraph(config: AgentConfig): Graph {
    const service = config.service;
    const plans: Record<string, PipelinePlan> = {};
    const marked = new Set(service.workers.guarding_processors);
    // A mistyped id would leave the processor it meant unguarded: refuse it.
    for (const id of marked)
      if (!config.processors.has(id))
        throw new Error(
          `service.workers.guarding_processors names "${id}", which is not a defined processor`,
        );
    const guards = (id: string) =>
      marked.has(id) || this.#registry.processor(config.processors.get(id)!.type)!.guards === true;
    for (const [pid, p] of Object.entries(service.pipelines)) {
      plans[pid] = {
        signal: signalOf(pid),
        processors: p.processors.map((id) => {
          const c = config.processors.get(id)!;
          const module = this.#registry.processor(c.type)!.workerModule;
          const state = this.#processorMains.get(id)?.state;
          const link = { id, module, config: c.config, guards: guards(id) };
          return state ? { ...link, state } : link;
        }),
        encodings: [...new Set(p.exporters.map((id) => this.#exporters.get(id)!.instance.encoding))],
        maxAttempts: service.workers.max_attempts,
      };
    }
    const threads = service.workers.threads ?? defaultThreads();
    const heavyScratch = Object.values(service.pipelines).some((p) =>
      p.processors.some((id) => this.#registry.processor(config.processors.get(id)!.type)!.heavyScratch),
    );
    const pool = new WorkerPool({ threads, data: { pipelines: plans }, metrics: this.metrics, heavyScratch });
    const pipelines = Object.entries(service.pipelines).map(([pid, p]) => {
      const controls = p.processors
        .map((id) => this.#processorMains.get(id)?.instance)
        .filter(isAdmissionControl) as AdmissionControl[];
      const admit = admitAll(controls);
      return new Pipeline({
        id: pid,
        signal: signalOf(pid),
        pool,
        exporters: p.exporters.map((id) => this.#exporters.get(id)!.instance),
        maxInflight: service.workers.max_inflight_batches ?? threads * 4,
        maxAttempts: service.workers.max_attempts,
        guarded: p.processors.some(guards),
        quarantine: new Quarantine(join(service.data_dir, 'quarantine'), pid),
        taskTimeoutMs: service.workers.task_timeout,
        metrics: this.metrics,
        logger: this.#logger,
        ...(admit && { admit }),
        onAggregates: (aggregates, pipeline) => {
          for (const a of aggregates)
            this.#processorMains.get(a.processor)?.instance.consumeAggregates?.([a.data], pipeline);
        },
      });
    });
    return { pool, pipelines };
  }

  #fanoutFor(receiverId: string): Fanout {
    const fed = this.#graph.pipelines.filter((p) =>
      this.#config.service.pipelines[p.id]!.receivers.includes(receiverId),
    );
    return new Fanout(receiverId, fed, this.#accepted);
  }

  #createReceiver(c: ComponentConfig): ReceiverEntry {
    const inlet = new ReceiverInlet(this.#fanoutFor(c.id));
    const instance = this.#registry.receiver(c.type)!.create(this.#settings(c.id, c.type), c.config, inlet);
    return { fingerprint: fingerprint(c), instance, inlet };
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
