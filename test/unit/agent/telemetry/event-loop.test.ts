import { expect, it } from 'vitest';
import { watchEventLoop } from '../../../../agent/telemetry/event-loop.ts';
import { SelfMetrics } from '../../../../agent/telemetry/self-metrics.ts';

it('reports a blocked main thread as the worst event-loop delay of the period', async () => {
  const metrics = new SelfMetrics();
  const watch = watchEventLoop(metrics, 400);
  try {
    await new Promise((r) => setTimeout(r, 100));
    const until = Date.now() + 550;
    while (Date.now() < until) {} // a synchronous stall, as a slow fsync would be
    await new Promise((r) => setTimeout(r, 500));
    // The clock's tick due during the stall ran at least 350 ms late (its period is 200 ms).
    const worst = await metrics.value('meshtail_process_event_loop_delay_seconds', { quantile: '1' });
    expect(worst).toBeGreaterThanOrEqual(0.25);
    expect(worst).toBeLessThan(5);
  } finally {
    watch.stop();
  }
});
