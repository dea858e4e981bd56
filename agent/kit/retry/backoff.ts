// Exponential backoff with jitter, the algorithm of the Collector's retry sender (cenkalti/backoff):
// wait = interval × random[1 − f, 1 + f], interval grows by `multiplier` up to `max_interval`, and
// the payload is given up when the next wait would end past `max_elapsed_time`.
import type { RetryConfig } from './retry-config.ts';

export class Backoff {
  readonly #config: RetryConfig;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #startedAt: number;
  #interval: number;

  constructor(config: RetryConfig, now: () => number = Date.now, random: () => number = Math.random) {
    this.#config = config;
    this.#now = now;
    this.#random = random;
    this.#startedAt = now();
    this.#interval = config.initial_interval;
  }

  /**
   * The wait before the next attempt in milliseconds, or undefined when the payload should be given
   * up. A server-given delay is used in place of the computed one (the server knows its own load).
   */
  next(serverDelayMs?: number): number | undefined {
    const computed = this.#jittered();
    this.#interval = Math.min(this.#interval * this.#config.multiplier, this.#config.max_interval);
    const wait = serverDelayMs ?? computed;
    const limit = this.#config.max_elapsed_time;
    if (limit !== 0 && this.#now() - this.#startedAt + wait > limit) return undefined;
    return wait;
  }

  #jittered(): number {
    const f = this.#config.randomization_factor;
    const low = this.#interval * (1 - f);
    const high = this.#interval * (1 + f);
    return Math.round(low + this.#random() * (high - low));
  }
}
