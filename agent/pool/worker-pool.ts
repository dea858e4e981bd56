// The piscina pool that runs processors and encoders. One pool for the agent; every pipeline's
// plan is sent once as workerData so a task carries only its bytes and a few fields.
import { Piscina } from 'piscina';
import type { SelfMetrics } from '../telemetry/self-metrics.ts';
import type { WorkerData, WorkerResult, WorkerTask } from './task.ts';

const WORKER = new URL('./worker.ts', import.meta.url).href;

export interface PoolOptions {
  threads: number;
  data: WorkerData;
  metrics: SelfMetrics;
}

const WORKER_YOUNG_GENERATION_MB = 12;

export class WorkerPool {
  readonly threads: number;
  readonly #pool: Piscina;
  readonly #utilization;
  readonly #queued;

  constructor(options: PoolOptions) {
    this.threads = options.threads;
    this.#pool = new Piscina({
      filename: WORKER,
      minThreads: options.threads,
      maxThreads: options.threads,
      // Pipelines bound what they submit (max_inflight_batches), so the pool's queue is unbounded here:
      // piscina's 'auto' (threads²) would reject tasks that the pipelines have already admitted.
      maxQueue: Number.POSITIVE_INFINITY,
      workerData: options.data,
      // Workers inherit execArgv; nothing else is needed for type stripping on Node 24.
      // A worker's garbage is short-lived (a batch's records); V8's default young generation on a
      // large host let each isolate grow it far past need. 12 MiB: peak RSS of the 1000-file idle
      // bench 652-723 -> 487-592 MiB, raw path (500k lines) 67.7k -> 69.8k lines/s, 18.9 -> 18.3 CPU s
      // per million: no throughput lost. (The same for the main thread, --max-semi-space-size=4, cost
      // it 2 % of a core in GC for ~100 MiB, so it is left to the operator: docs/operations.md.)
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    options.metrics
      .gauge('meshtail_pool_threads', 'Worker threads in the pool.', [])
      .set({}, options.threads);
    this.#utilization = options.metrics.gauge(
      'meshtail_pool_utilization_ratio',
      'Share of time the worker threads were busy (0..1), since start.',
      [],
    );
    this.#queued = options.metrics.gauge(
      'meshtail_pool_queue_size',
      'Tasks waiting for a worker thread.',
      [],
    );
  }

  /**
   * Runs a task, cut after `timeoutMs` (piscina terminates a worker whose task is aborted, so a
   * stuck loop ends). The budget counts from submission: a queued task waits at most
   * max_inflight_batches tasks ahead of it, which the default leaves far from the budget.
   */
  async run(task: WorkerTask, timeoutMs?: number): Promise<WorkerResult> {
    if (timeoutMs === undefined) return this.#pool.run(task) as Promise<WorkerResult>;
    // A timer cleared when the task settles, not AbortSignal.timeout: that one would keep a timer
    // and its signal alive for the whole budget after every batch (thousands a second).
    const budget = new AbortController();
    const timer = setTimeout(() => budget.abort(new Error('task_timeout')), timeoutMs);
    try {
      return (await this.#pool.run(task, { signal: budget.signal })) as WorkerResult;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Refreshes the pool gauges; called when /metrics is scraped and by the demo's view. */
  sample(): { utilization: number; queued: number } {
    const utilization = this.#pool.utilization;
    const queued = this.#pool.queueSize;
    this.#utilization.set({}, utilization);
    this.#queued.set({}, queued);
    return { utilization, queued };
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }
}
