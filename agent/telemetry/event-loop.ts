// How late the main thread runs. Every poll, read turn, checkpoint and export callback shares it,
// so a stall (a synchronous fsync on a slow disk, a long GC pause) delays all of them and shows up
// as late reads and missed short-lived rotations. Exposed as the p99 of the last period (5 s) and
// the worst delay of the last 12 periods (a minute), so a scrape every 15–60 s still sees a stall.
// Measured on the shared loop clock (loop-clock.ts): each tick's lateness past its 200 ms period.
import { createHistogram } from 'node:perf_hooks';
import { LOOP_CLOCK_MS, onLoopTick } from '../kit/loop-clock.ts';
import type { SelfMetrics } from './self-metrics.ts';

const WINDOW_PERIODS = 12;

export function watchEventLoop(metrics: SelfMetrics, periodMs = 5000): { stop(): void } {
  const gauge = metrics.gauge(
    'meshtail_process_event_loop_delay_seconds',
    'How late the main thread ran its timers: quantile 0.99 over the last 5 s, quantile 1 the worst of the last minute.',
    ['quantile'],
  );
  // Nanoseconds, at least 1 (the histogram's floor): a tick on time records ~0.
  const h = createHistogram();
  const off = onLoopTick((gap) => h.record(Math.max(1, Math.round((gap - LOOP_CLOCK_MS) * 1e6))));
  const worst: number[] = [];
  const timer = setInterval(() => {
    if (h.count > 0) {
      worst.push(h.max / 1e9);
      if (worst.length > WINDOW_PERIODS) worst.shift();
      gauge.set({ quantile: '0.99' }, h.percentile(99) / 1e9);
      gauge.set({ quantile: '1' }, Math.max(...worst));
    }
    h.reset();
  }, periodMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      off();
    },
  };
}
