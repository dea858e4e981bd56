// What a receiver sends to: every pipeline that lists it. Admission waits for all of them, so the
// slowest pipeline paces the receiver; the delivery settles when every pipeline has delivered.
import type { BatchConsumer, Delivery, RawBatch } from '../kit/component.ts';
import { releaseShared, sharedBytes } from '../kit/record/shared-bytes.ts';
import type { CounterHandle } from '../telemetry/self-metrics.ts';
import type { Pipeline } from './pipeline.ts';

export class Fanout implements BatchConsumer {
  readonly #pipelines: Pipeline[];
  readonly #receiver: string;
  readonly #accepted: CounterHandle;
  readonly #pending = new Set<Promise<void>>();

  constructor(receiver: string, pipelines: Pipeline[], accepted: CounterHandle) {
    this.#receiver = receiver;
    this.#pipelines = pipelines;
    this.#accepted = accepted;
  }

  async consume(batch: RawBatch): Promise<Delivery> {
    const shared = { ...batch, data: sharedBytes(batch.data) };
    const deliveries = await Promise.all(
      this.#pipelines.map((p, i) =>
        // Records are counted once per receiver, as the first pipeline's worker decoded them.
        p.consume(
          shared,
          i === 0 ? (r) => this.#accepted.inc({ receiver: this.#receiver }, r.decoded) : undefined,
        ),
      ),
    );
    const done = Promise.all(deliveries.map((d) => d.done)).then(() => releaseShared(shared.data.buffer));
    this.#pending.add(done);
    done.finally(() => this.#pending.delete(done));
    return { done };
  }

  /** Settles when every batch admitted so far is delivered. */
  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}
