// When inotify may have dropped notifications. The kernel queues a watch's events until the agent
// reads them, up to fs.inotify.max_queued_events (16384 by default); past that it drops them and
// queues one IN_Q_OVERFLOW, which libuv discards without telling node. Node reads the queue on
// every turn of the event loop, so events can only be lost while the loop is blocked for longer
// than it takes the writers to fill the queue: at 20,000 appends/s, about 0.8 s. A torture run
// under CPU hogs saw 3 s stalls lose a rotation's create event (session 3, docs/filelog.md).
//
// So the receiver measures the longest stall of the loop since its last poll and the rate of
// events it received, and when the stall could have filled half the queue at that rate, it treats
// every watched directory as changed: the next poll lists and stats everything, as a rescan does.
// The periodic rescan then only backs up file systems that send no notifications, and can be rare
// (with 1000 files appended once a second, a rescan every second cost 2.3 points: 11.7 against
// 9.4 % of a core in one sitting, bench/RESULTS.md).
//
// The stall is measured by the process's 200 ms loop clock (agent/telemetry/loop-clock.ts, shared
// with the event-loop delay metric and the poll loop): at 20 ms its 50 wakeups a second cost 0.4 %
// of a core with 1000 silent files (2.23 against 1.8 %); 200 ms still catches a stall well before
// the queue fills below about 20,000 events a second (watch events only: busy directories are
// polled and send none), and above that the rule below only gets stricter (more rescans, never
// fewer).
// perf_hooks' monitorEventLoopDelay cannot do it: reading a window needs reset(), and after a reset
// its next tick only starts a new delta, so a stall right after a poll went unmeasured.

import { readFileSync } from 'node:fs';
import { LOOP_CLOCK_MS, lastLoopTick, onLoopTick } from '../../agent/kit/loop-clock.ts';

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
