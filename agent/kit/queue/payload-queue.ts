// The queue contract the exporter helper runs on. Small on purpose: the in-memory queue and the
// disk queue (`storage: disk`, agent/queue/disk-queue/) implement it, and the helper does not change.

export interface PayloadQueue<T> {
  readonly capacity: number;
  /** Items waiting to be taken (not counting items already taken and in flight). */
  readonly size: number;
  /**
   * True when `put` resolving means the item is safe (persisted): the caller may then return before
   * delivery. The in-memory queue is not durable, so callers wait for delivery. A durable queue's
   * taken items are acknowledged by their own `settle`; an item not settled is delivered again by
   * the next run.
   */
  readonly durable: boolean;
  /** Waits for room, then admits the item. Resolves false if the queue closed before it got room. */
  put(item: T): Promise<boolean>;
  /** The oldest item; waits while empty; undefined once the queue is closed and empty. */
  take(): Promise<T | undefined>;
  /** Stops admitting: pending and later puts resolve false; takers still get what is queued. */
  close(): void;
  /** Removes and returns everything still queued. */
  drain(): T[];
  /** Stops handing out items at the drain deadline (take resolves undefined); a durable queue keeps them. */
  halt?(): void;
  /** Persists and releases what the queue holds (files); after close() and the last take. */
  shutdown?(): Promise<void>;
}
