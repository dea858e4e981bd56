// Counts in-flight batches. acquire() waits when all permits are out: that wait is how a receiver
// is paused when the pool or an exporter is slow, so memory stays bounded by configuration.
export class Semaphore {
  readonly permits: number;
  #free: number;
  readonly #waiters: (() => void)[] = [];

  constructor(permits: number) {
    this.permits = permits;
    this.#free = permits;
  }

  get inUse(): number {
    return this.permits - this.#free;
  }

  acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  release(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#free++;
  }
}
