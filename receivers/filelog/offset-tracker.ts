// Batches of one file are delivered out of order (several workers, several exporters); the offset
// that may be committed is the end of the longest run of delivered batches from the start.
export class OffsetTracker {
  committed: number;
  readonly #pending: { end: number; done: boolean }[] = [];

  constructor(committed: number) {
    this.committed = committed;
  }

  get inFlight(): number {
    return this.#pending.length;
  }

  /** Registers a batch ending at `end`; call the returned function when it is delivered. */
  track(end: number): () => void {
    const entry = { end, done: false };
    this.#pending.push(entry);
    return () => {
      entry.done = true;
      while (this.#pending.length > 0 && this.#pending[0]!.done) this.committed = this.#pending.shift()!.end;
    };
  }

  /** Truncation: offsets restart; batches still in flight no longer move the commit point. */
  reset(offset: number): void {
    this.#pending.length = 0;
    this.committed = offset;
  }
}
