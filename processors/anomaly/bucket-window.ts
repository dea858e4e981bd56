// Open buckets in event time. A bucket closes once the newest bucket seen is `allowed_lateness`
// past its end; closed buckets come out in order, gaps filled with empty buckets (so a drop to
// zero is seen), unless the gap is longer than max_gap (then the clock jumps).
import { type BucketAggregate, emptyBucket, mergeBucket } from './aggregate.ts';

export class BucketWindow {
  readonly #bucket: number;
  readonly #lateness: number;
  readonly #maxGap: number;
  readonly #open = new Map<number, BucketAggregate>();
  #newest = Number.NEGATIVE_INFINITY;
  /** Start of the next bucket to close. */
  next: number | undefined;
  lateRecords = 0;

  constructor(bucket: number, lateness: number, maxGap: number, next?: number) {
    this.#bucket = bucket;
    this.#lateness = lateness;
    this.#maxGap = maxGap;
    this.next = next;
  }

  add(b: BucketAggregate): void {
    if (this.next !== undefined && b.start < this.next) {
      this.lateRecords += b.records;
      return;
    }
    const open = this.#open.get(b.start);
    if (open) mergeBucket(open, b);
    else this.#open.set(b.start, b);
    if (b.start > this.#newest) this.#newest = b.start;
  }

  /** The buckets that can no longer change, oldest first. */
  close(): BucketAggregate[] {
    const out: BucketAggregate[] = [];
    const until = this.#newest - this.#lateness; // bucket S closes when S + bucket <= until
    if (this.#open.size === 0) return out;
    const earliest = Math.min(...this.#open.keys());
    if (this.next === undefined || earliest - this.next > this.#maxGap) this.next = earliest;
    while (this.next + this.#bucket <= until) {
      const b = this.#open.get(this.next) ?? emptyBucket(this.next);
      this.#open.delete(this.next);
      out.push(b);
      this.next += this.#bucket;
      if (this.#open.size === 0) break;
      const first = Math.min(...this.#open.keys());
      if (first - this.next > this.#maxGap) this.next = first;
    }
    return out;
  }
}
