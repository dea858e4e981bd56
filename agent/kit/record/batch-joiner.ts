// Joins small reads of many sources into one batch. A node with many quiet files sees about one
// line per file per second; sent alone, each line would be its own pool task and its own OTLP
// request (bench/RESULTS.md, filelog idle). Joined, a poll's worth of lines is one task and one
// request per tenant. Each part keeps its own origin (RawBatch.parts) and
// its own delivery callback, so offsets still commit per source.
import type { BatchConsumer, BatchOrigin, BatchPart, RawBatch } from '../component.ts';
import { allocShared, releaseShared } from './shared-bytes.ts';

interface Pending {
  buffer: Uint8Array;
  used: number;
  parts: BatchPart[];
  delivered: (() => void)[];
}

export class BatchJoiner {
  readonly #next: BatchConsumer;
  readonly #capacity: number;
  readonly #settled: (done: Promise<void>) => void;
  #pending: Pending | undefined;

  /**
   * capacity: the joined batch's size; a read of more than a quarter of it goes alone.
   * settled: gets each batch's delivery (done settles after the parts' callbacks ran).
   */
  constructor(next: BatchConsumer, capacity: number, settled: (done: Promise<void>) => void) {
    this.#next = next;
    this.#capacity = capacity;
    this.#settled = settled;
  }

  /**
   * Sends `data` (whole lines of one source), alone or joined with others; `delivered` runs once
   * the batch carrying it is delivered (or given up). A small read is copied and its buffer
   * recycled at once, and nothing is returned; a promise (admission: backpressure) only when a
   * batch goes.
   */
  send(data: Uint8Array, origin: BatchOrigin, delivered: () => void): Promise<void> | undefined {
    if (data.length > this.#capacity / 4) return this.#sendAlone(data, origin, delivered);
    if (this.#pending && this.#pending.used + data.length > this.#capacity)
      return this.flush().then(() => {
        this.#join(data, origin, delivered);
      });
    this.#join(data, origin, delivered);
    return undefined;
  }

  /**
   * Whether send() would copy `bytes` bytes into the pending batch at once: a caller may then pass
   * a buffer it reuses right after (the filelog read turn reads small appends into one scratch buffer).
   */
  takesNow(bytes: number): boolean {
    return bytes <= this.#capacity / 4 && (!this.#pending || this.#pending.used + bytes <= this.#capacity);
  }

  async #sendAlone(data: Uint8Array, origin: BatchOrigin, delivered: () => void): Promise<void> {
    await this.flush(); // what was read earlier goes first
    await this.#consume({ ...origin, data }, [delivered]);
  }

  #join(data: Uint8Array, origin: BatchOrigin, delivered: () => void): void {
    if (!this.#pending)
      this.#pending = { buffer: allocShared(this.#capacity), used: 0, parts: [], delivered: [] };
    const p = this.#pending;
    p.buffer.set(data, p.used);
    p.used += data.length;
    const part: BatchPart = {
      resource: origin.resource,
      attributes: origin.attributes,
      observedTimeUnixNano: origin.observedTimeUnixNano,
      bytes: data.length,
    };
    if (origin.decoder) part.decoder = origin.decoder;
    if (origin.packed !== undefined) part.packed = origin.packed;
    p.parts.push(part);
    p.delivered.push(delivered);
    releaseShared(data.buffer);
  }

  /** Sends what is joined so far; call at the end of a pass over the sources and before shutdown. */
  async flush(): Promise<void> {
    const p = this.#pending;
    if (!p) return;
    this.#pending = undefined;
    const first = p.parts[0]!;
    const batch: RawBatch = {
      data: p.buffer.subarray(0, p.used),
      resource: first.resource,
      attributes: first.attributes,
      observedTimeUnixNano: first.observedTimeUnixNano,
      ...(first.decoder && { decoder: first.decoder }),
      ...(p.parts.length > 1 && { parts: p.parts }),
    };
    await this.#consume(batch, p.delivered);
  }

  async #consume(batch: RawBatch, delivered: (() => void)[]): Promise<void> {
    const delivery = await this.#next.consume(batch);
    const all = () => {
      for (const d of delivered) d();
    };
    this.#settled(delivery.done.then(all, all));
  }
}
