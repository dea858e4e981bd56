// One timer that measures how late the main thread runs, for everything that wants to know: the
// event-loop delay metric (event-loop.ts) and the filelog receiver's inotify loss guard
// (receivers/filelog/lost-events.ts). Each had its own, 30 wakeups a second between them, and a
// wakeup of a quiet Node process is not free: on the bench machine a bare 100 ms interval timer
// cost 0.2 % of a core and monitorEventLoopDelay at 50 ms 0.16 %; with 1000 files appended once a
// second, dropping the 50 ms monitor and slowing the guard's timer took the agent from 3.18 / 3.18
// to 2.40 / 2.73 % of a core (bench/RESULTS.md, session 9). One clock serves both now, and the
// filelog poll loop too (receiver.ts #pause): at 200 ms, the default poll interval, one wakeup
// serves all three (2.75 / 2.78 % against 3.08 / 2.86 % for a 100 ms clock and polls on their own
// timer, alternating).

/** The clock's period: a stall shorter than this may go unmeasured by up to this much. */
export const LOOP_CLOCK_MS = 200;

/** Called at every tick with the time since the previous one (ms), at least LOOP_CLOCK_MS unless the loop was late. */
export type TickListener = (gapMs: number, now: number) => void;

const listeners = new Set<TickListener>();
let timer: NodeJS.Timeout | undefined;
let last = 0;

function tick(): void {
  const now = performance.now();
  const gap = now - last;
  last = now;
  for (const l of listeners) l(gap, now);
}

/**
 * Adds a listener; the clock runs while it has one (unref'd: it keeps no process alive). Returns
 * the function that removes it.
 */
export function onLoopTick(listener: TickListener): () => void {
  listeners.add(listener);
  if (!timer) {
    last = performance.now();
    timer = setInterval(tick, LOOP_CLOCK_MS);
    timer.unref();
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** When the clock last ticked (performance.now()): a stall still under way is the time since. */
export function lastLoopTick(): number {
  return last;
}
