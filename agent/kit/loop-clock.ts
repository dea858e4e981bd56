// One timer that measures how late the main thread runs, for everything that wants to know: the
// event-loop delay metric (agent/telemetry/event-loop.ts), the filelog receiver's lost-event guard
// and its poll loop. One wakeup serves all of them: on a quiet agent each timer wakeup costs a
// measurable share of a core (bench/RESULTS.md, session 9).

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
