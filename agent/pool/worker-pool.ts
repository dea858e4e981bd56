// The piscina pool that runs processors and encoders. One pool for the agent; every pipeline's
// plan is sent once as workerData so a task carries only its bytes and a few fields.
import { setFlagsFromString } from 'node:v8';
import { Piscina } from 'piscina';
import { oldGenerationGrowthPercent } from '../cli/v8-flags.ts';
import type { SelfMetrics } from '../telemetry/self-metrics.ts';
import type { WorkerData, WorkerResult, WorkerTask } from './task.ts';

const WORKER = new URL('./worker.ts', import.meta.url).href;

export interface PoolOptions {
  threads: number;
  data: WorkerData;
  metrics: SelfMetrics;
  /** A pipeline runs a processor that makes much short-lived data per record (ProcessorFactory.heavyScratch). */
  heavyScratch: boolean;
}

// A worker's young generation is 3 x its semi-space (two semi-spaces and the new large-object
// space), and a semi-space should hold one batch's garbage, so that a batch's records die young
// instead of being copied into the old generation. Parsing alone makes ~3 KB a record (~2 MB a
// 256 KiB batch): 12 MiB (a 4 MiB semi-space) holds it, and against 48 MiB the raw and parsed runs
// (400k lines) peaked at 149-150 / 156-158 MiB instead of 160 / 182-185 MiB, CPU within noise.
// redact and encrypt add ~10 KB a record. With them, 24 MiB (an 8 MiB semi-space; V8 rounds the
// semi-space to a power of two, so 32 runs as 48 and 16 as 24) took the whole pipeline's peak RSS
// from 233-238 to 209-215 MiB for +1.1 to +3.3 % CPU (400k lines, 3 alternated pairs), where 12
// MiB cost +18 % (bench/RESULTS.md, Sessions 29 to 31).
export const WORKER_YOUNG_GENERATION_MB = { light: 12, heavy: 24 } as const;

/** The limits each worker isolate is made with. */
export function workerResourceLimits(heavyScratch: boolean): { maxYoungGenerationSizeMb: number } {
  return { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB[heavyScratch ? 'heavy' : 'light'] };
}

/**
 * Lets `resourceLimits` size the young generation of worker isolates made from now on. V8 lets
 * `--max-semi-space-size`, a process-wide flag, win over an isolate's own limit, so the main
 * thread's flag (agent/cli/v8-flags.ts) would size every worker too. The main isolate read the flag
 * when it was made and keeps what it read: the two are now chosen apart.
 */
export function leaveWorkerYoungGenerationToLimits(): void {
  setFlagsFromString('--max-semi-space-size=0');
}

export class WorkerPool {
  readonly threads: number;
  /** Each worker's young generation (MiB): heavy or light, from the pipelines' processors. */
  readonly youngGenerationMb: number;
  readonly #pool: Piscina;
  readonly #utilization;
  readonly #queued;
  // Busy thread-time, integrated at each task's start and end: min(tasks in the pool, threads) over
  // time. Read as a ratio over the time since the previous sample (scrape). piscina's own
  // `utilization` averages over the pool's lifetime and divides a mean already in ms by 1000 again.
  #running = 0;
  #busyMs = 0;
  #changedAt = performance.now();
  #lastBusyMs = 0;
  #lastSampleAt = this.#changedAt;

  constructor(options: PoolOptions) {
    this.threads = options.threads;
    const limits = workerResourceLimits(options.heavyScratch);
    this.youngGenerationMb = limits.maxYoungGenerationSizeMb;
    leaveWorkerYoungGenerationToLimits();
    const growth = oldGenerationGrowthPercent(options.heavyScratch);
    if (growth !== undefined) setFlagsFromString(`--heap-growing-percent=${growth}`);
    this.#pool = new Piscina({
      filename: WORKER,
      minThreads: options.threads,
      maxThreads: options.threads,
      // Pipelines bound what they submit (max_inflight_batches), so the pool's queue is unbounded here:
      // piscina's 'auto' (threads²) would reject tasks that the pipelines have already admitted.
      maxQueue: Number.POSITIVE_INFINITY,
      workerData: options.data,
      // Workers inherit execArgv; nothing else is needed for type stripping on Node 24.
      // V8's default young generation grows with the host's memory; fixed, each worker's is the same
      // on every node. The main thread's is its restart flag (agent/cli/v8-flags.ts).
      resourceLimits: limits,
    });
    options.metrics
      .gauge('meshtail_pool_threads', 'Worker threads in the pool.', [])
      .set({}, options.threads);
    this.#utilization = options.metrics.gauge(
      'meshtail_pool_utilization_ratio',
      'Share of time the worker threads were busy running tasks (0..1), since the previous scrape.',
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
    this.#account(1);
    // A timer cleared when the task settles, not AbortSignal.timeout: that one would keep a timer
    // and its signal alive for the whole budget after every batch (thousands a second).
    const budget = timeoutMs === undefined ? undefined : new AbortController();
    const timer = budget && setTimeout(() => budget.abort(new Error('task_timeout')), timeoutMs);
    try {
      return (await this.#pool.run(task, budget && { signal: budget.signal })) as WorkerResult;
    } finally {
      if (timer) clearTimeout(timer);
      this.#account(-1);
    }
  }

  #account(delta: number): void {
    const now = performance.now();
    this.#busyMs += Math.min(this.#running, this.threads) * (now - this.#changedAt);
    this.#changedAt = now;
    this.#running += delta;
  }

  /** Refreshes the pool gauges; called when /metrics is scraped and by the demo's view. */
  sample(): { utilization: number; queued: number } {
    this.#account(0);
    const now = this.#changedAt;
    const busyMs = this.#busyMs;
    const capacity = (now - this.#lastSampleAt) * this.threads;
    const utilization = capacity > 0 ? Math.min(1, Math.max(0, (busyMs - this.#lastBusyMs) / capacity)) : 0;
    this.#lastBusyMs = busyMs;
    this.#lastSampleAt = now;
    const queued = this.#pool.queueSize;
    this.#utilization.set({}, utilization);
    this.#queued.set({}, queued);
    return { utilization, queued };
  }

  /** Tasks waiting for a worker thread now. */
  get queued(): number {
    return this.#pool.queueSize;
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }
}
