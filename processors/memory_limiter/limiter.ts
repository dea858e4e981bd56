// The memory_limiter's main-thread part: admission control for the pipelines that list it. Above
// the soft limit it refuses new batches; receivers wait at admission (reading pauses, nothing is
// dropped) and it measures again every check_interval until memory is below the soft limit. While
// admitting it measures at most once per check_interval, on admission: no timer runs when idle.
import { totalmem } from 'node:os';
import type { AdmissionControl } from '../../agent/kit/admission.ts';
import type { ComponentSettings, ProcessorMain } from '../../agent/kit/component.ts';
import { limitsOf, type MemoryLimiterConfig } from './config.ts';

/** Resident memory of the whole process (main thread and workers), bytes. */
export type MemoryReader = () => number;

export const processRss: MemoryReader = () => process.memoryUsage.rss();

/** The memory the process may use: the cgroup limit when there is one, else the host's. */
export function availableMemory(): number {
  const constrained = process.constrainedMemory();
  return constrained > 0 && constrained < Number.MAX_SAFE_INTEGER ? constrained : totalmem();
}

export class MemoryLimiter implements ProcessorMain, AdmissionControl {
  readonly #settings: ComponentSettings;
  readonly #interval: number;
  readonly #limits: { soft: number; hard: number };
  readonly #read: MemoryReader;
  #measuredAt = Number.NEGATIVE_INFINITY;
  #above = false;
  #waiting: Promise<void> | undefined;
  #stopped = false;
  readonly #metrics;

  constructor(settings: ComponentSettings, config: MemoryLimiterConfig, read: MemoryReader = processRss) {
    this.#settings = settings;
    this.#interval = config.check_interval;
    this.#limits = limitsOf(config, availableMemory());
    this.#read = read;
    const l = ['processor'];
    this.#metrics = {
      refusing: settings.metrics.gauge(
        'meshtail_memory_limiter_refusing',
        '1 while a memory_limiter refuses new batches (memory above its soft limit), else 0.',
        l,
      ),
      refusals: settings.metrics.counter(
        'meshtail_memory_limiter_refusals_total',
        'Times a memory_limiter started refusing batches (reading paused).',
        l,
      ),
    };
    this.#metrics.refusing.set({ processor: settings.id }, 0);
  }

  get refusing(): boolean {
    return this.#above;
  }

  async start(): Promise<void> {}

  async shutdown(): Promise<void> {
    // A drain must not wait on memory: admit everything from now on.
    this.#stopped = true;
  }

  admit(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    if (this.#waiting) return this.#waiting;
    const now = performance.now();
    if (now - this.#measuredAt >= this.#interval) this.#measure(now);
    if (!this.#above) return Promise.resolve();
    this.#waiting = this.#waitBelowSoft().finally(() => {
      this.#waiting = undefined;
    });
    return this.#waiting;
  }

  #measure(now: number): void {
    this.#measuredAt = now;
    const rss = this.#read();
    const above = rss >= this.#limits.soft;
    if (above && !this.#above) {
      this.#metrics.refusals.inc({ processor: this.#settings.id });
      this.#settings.logger.warn(
        { rssMiB: Math.round(rss / 1048576), softLimitMiB: Math.round(this.#limits.soft / 1048576) },
        'memory_limiter: memory above the soft limit; reading paused',
      );
    } else if (!above && this.#above) {
      this.#settings.logger.info('memory_limiter: memory below the soft limit; reading resumed');
    }
    this.#above = above;
    this.#metrics.refusing.set({ processor: this.#settings.id }, above ? 1 : 0);
  }

  async #waitBelowSoft(): Promise<void> {
    while (this.#above && !this.#stopped) {
      await new Promise((r) => setTimeout(r, this.#interval));
      this.#measure(performance.now());
    }
  }
}
