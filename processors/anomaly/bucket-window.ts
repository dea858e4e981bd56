// Open buckets in event time. The watermark is the newest event time seen; bucket S closes once
// S + bucket + allowed_lateness <= watermark, and a record for a closed bucket is late (counted,
// not merged). Buckets are merged commutatively and come out in start order with their maps in key
// order, gaps filled with empty buckets (so a drop to zero is seen), unless the gap is longer than
// max_gap (then the clock jumps). Given records no further out of order than the lateness, the
// closed buckets are the same whatever the batches and the order the workers returned them in.
import {
  type BatchAggregate,
  type BucketAggregate,
  canonicalBucket,
  emptyBucket,
  mergeBucket,
} from './aggregate.ts';

export class BucketWindow {
  readonly #bucket: number;
  readonly #lateness: number;
  readonly #maxGap: number;
  readonly #open = new Map<number, BucketAggregate>();
  #watermark = Number.NEGATIVE_INFINITY;
  /** Start of the next bucket to close. */
  next: number | undefined;
  lateRecords = 0;

  constructor(bucket: number, lateness: number, maxGap: number, next?: number) {
    this.#bucket = bucket;
    this.#lateness = lateness;
    this.#maxGap = maxGap;
    this.next = next;
  }

  add(batch: BatchAggregate): void {
    this.lateRecords += batch.late;
    // Late against the watermark before this batch: the part of the record rule across batches.
    const until = this.#watermark - this.#lateness;
    for (const b of batch.buckets) {
      if (b.start + this.#bucket <= until || (this.next !== undefined && b.start < this.next)) {
        this.lateRecords += b.records;
        continue;
      }
      const open = this.#open.get(b.start);
      if (open) mergeBucket(open, b);
      else this.#open.set(b.start, b);
    }
    if (batch.newest > this.#watermark) this.#watermark = batch.newest;
  }

  /**
   * The buckets that can no longer change, oldest first. An empty bucket (no record at all) comes out
   * only once the next bucket with records has closed, so whether a gap is longer than max_gap is
   * decided on final buckets alone.
   */
  close(): BucketAggregate[] {
    const out: BucketAggregate[] = [];
    const until = this.#watermark - this.#lateness; // bucket S closes when S + bucket <= until
    while (this.#open.size > 0) {
      const first = Math.min(...this.#open.keys());
      if (first + this.#bucket > until) break;
      if (this.next === undefined || first - this.next > this.#maxGap) this.next = first;
      for (; this.next < first; this.next += this.#bucket) out.push(emptyBucket(this.next));
      out.push(canonicalBucket(this.#open.get(first) as BucketAggregate));
      this.#open.delete(first);
      this.next = first + this.#bucket;
    }
    return out;
  }
}
