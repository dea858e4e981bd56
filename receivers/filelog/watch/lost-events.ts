// When inotify may have dropped notifications. Past fs.inotify.max_queued_events the kernel drops a
// watch's events (libuv discards the overflow marker); node drains the queue on every turn of the
// event loop, so events are lost only while the loop is blocked. The guard takes the longest stall
// since the last poll, from the process's loop clock (agent/kit/loop-clock.ts), and the rate
// of events received; when the stall could have filled half the queue at that rate, or exceeded
// MAX_SAFE_STALL_MS, every watched directory counts as changed and the next poll lists and stats
// everything. The periodic rescan is then only for file systems that send no notifications.
// docs/filelog.md says why; bench/RESULTS.md what it costs.
import { readFileSync } from 'node:fs';
import { LOOP_CLOCK_MS, lastLoopTick, onLoopTick } from '../../../agent/kit/loop-clock.ts';

/** The clock's period: a block shorter than this may go unmeasured by up to this much. */
const RESOLUTION_MS = LOOP_CLOCK_MS;
/** Stalls above this always count, whatever the event rate (a slow disk, a stopped process). */
const MAX_SAFE_STALL_MS = 250;

export class LostEventGuard {
  readonly #off: () => void;
  readonly #queueLimit: number;
  #since: number;
  /** The longest time between two ticks since the last mayHaveLost. */
  #longest = 0;

  constructor(now: number, queueLimit = maxQueuedEvents()) {
    this.#queueLimit = queueLimit;
    this.#since = now;
    this.#off = onLoopTick((gap) => {
      if (gap > this.#longest) this.#longest = gap;
    });
  }

  /** Whether events may have been lost since the last call, given the events received since then. */
  mayHaveLost(now: number, events: number): boolean {
    // A stall that just ended may not have reached the timer yet.
    const gap = Math.max(this.#longest, performance.now() - lastLoopTick());
    this.#longest = 0;
    const stallMs = gap - RESOLUTION_MS;
    const windowMs = Math.max(1, now - this.#since);
    this.#since = now;
    // The stall that would fill half the queue at the rate seen, less what the timer may miss.
    const perMs = events / windowMs;
    const risky = perMs > 0 ? this.#queueLimit / 2 / perMs - RESOLUTION_MS : Number.POSITIVE_INFINITY;
    return stallMs > Math.min(Math.max(risky, 0), MAX_SAFE_STALL_MS);
  }

  close(): void {
    this.#off();
  }
}

function maxQueuedEvents(): number {
  try {
    const n = Number(readFileSync('/proc/sys/fs/inotify/max_queued_events', 'utf8').trim());
    return Number.isFinite(n) && n > 0 ? n : 16384;
  } catch {
    return 16384;
  }
}
