// A bounded FIFO in memory. A full queue makes `put` wait (backpressure to the pipeline) rather than
// fail: losing data is the pipeline's decision, never the queue's.
import type { PayloadQueue } from './payload-queue.ts';

export class MemoryQueue<T> implements PayloadQueue<T> {
  readonly capacity: number;
  readonly durable = false;
  readonly #items: T[] = [];
  readonly #putters: { item: T; admit: (ok: boolean) => void }[] = [];
  readonly #takers: ((item: T | undefined) => void)[] = [];
  readonly #onSize: (size: number) => void;
  #closed = false;

  /** `onSize` is told the new size after every change (it feeds the queue_size gauge). */
  constructor(capacity: number, onSize: (size: number) => void = () => {}) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`queue capacity must be >= 1, got ${capacity}`);
    this.capacity = capacity;
    this.#onSize = onSize;
  }

  get size(): number {
    return this.#items.length;
  }

  put(item: T): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    const taker = this.#takers.shift();
    if (taker) {
      taker(item);
      return Promise.resolve(true);
    }
    if (this.#items.length < this.capacity) {
      this.#items.push(item);
      this.#onSize(this.#items.length);
      return Promise.resolve(true);
    }
    return new Promise((admit) => this.#putters.push({ item, admit }));
  }

  take(): Promise<T | undefined> {
    if (this.#items.length > 0) {
      const item = this.#items.shift() as T;
      // Room appeared: admit the oldest waiting put, keeping FIFO order.
      const putter = this.#putters.shift();
      if (putter) {
        this.#items.push(putter.item);
        putter.admit(true);
      }
      this.#onSize(this.#items.length);
      return Promise.resolve(item);
    }
    if (this.#closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#takers.push(resolve));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const p of this.#putters.splice(0)) p.admit(false);
    for (const t of this.#takers.splice(0)) t(undefined);
  }

  drain(): T[] {
    const left = this.#items.splice(0);
    this.#onSize(0);
    return left;
  }
}
