// Where a receiver hands its batches: a fixed consumer for the receiver, in front of the Fanout of
// the current pipelines. A reload holds it (new batches wait at admission, so the receiver pauses
// with its offsets where they are), drains what already entered the old pipelines, and points it
// at the new Fanout: every batch goes through exactly one graph, none is lost or sent twice.
import type { BatchConsumer, Delivery, RawBatch } from '../kit/component.ts';
import type { Fanout } from './fanout.ts';

export class ReceiverInlet implements BatchConsumer {
  #target: Fanout;
  #held: { promise: Promise<void>; release: () => void } | undefined;
  readonly #entering = new Set<Promise<unknown>>();

  constructor(target: Fanout) {
    this.#target = target;
  }

  async consume(batch: RawBatch): Promise<Delivery> {
    while (this.#held) await this.#held.promise;
    const entering = this.#target.consume(batch);
    this.#entering.add(entering);
    try {
      return await entering;
    } finally {
      this.#entering.delete(entering);
    }
  }

  /** New batches wait until release(). */
  hold(): void {
    if (this.#held) return;
    let release = () => {};
    const promise = new Promise<void>((r) => {
      release = r;
    });
    this.#held = { promise, release };
  }

  /** Settles when every batch that entered the current target is delivered (call after hold()). */
  async drain(): Promise<void> {
    // Held, nothing new enters this target (consume picks its target synchronously after the hold check).
    const target = this.#target;
    await Promise.allSettled([...this.#entering]);
    await target.drain();
  }

  /** Points at `target` and lets waiting batches in. */
  release(target: Fanout): void {
    this.#target = target;
    const held = this.#held;
    this.#held = undefined;
    held?.release();
  }
}
