// The queue contract the exporter helper runs on. Small on purpose: the in-memory queue implements
// it now, a disk queue (`storage: disk`) later, and the helper does not change.

export interface PayloadQueue<T> {
  readonly capacity: number;
  /** Items waiting to be taken (not counting items already taken and in flight). */
  readonly size: number;
  /**
   * True when `put` resolving means the item is safe (persisted): the caller may then return before
   * delivery. The in-memory queue is not durable, so callers wait for delivery.
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
}
