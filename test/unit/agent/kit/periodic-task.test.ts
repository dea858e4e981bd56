import { describe, expect, it } from 'vitest';
import { PeriodicTask } from '../../../../agent/kit/periodic-task.ts';

describe('PeriodicTask', () => {
  it('never runs the work twice at once, and runs it once more at stop', async () => {
    let running = 0;
    let overlapped = false;
    let runs = 0;
    const task = new PeriodicTask(async () => {
      running++;
      overlapped ||= running > 1;
      await new Promise((r) => setTimeout(r, 5));
      runs++;
      running--;
    }, 10);
    task.start();
    await Promise.all([task.runNow(), task.runNow(), task.runNow()]);
    await new Promise((r) => setTimeout(r, 50));
    await task.stop(1000);
    const after = runs;
    expect(overlapped).toBe(false);
    expect(after).toBeGreaterThanOrEqual(4);
    await new Promise((r) => setTimeout(r, 50));
    expect(runs).toBe(after); // the timer is gone
  });

  it('stop does not wait past its timeout for work that never ends', async () => {
    const task = new PeriodicTask(() => new Promise<void>(() => {}), 60_000);
    let stopped = false;
    const stop = task.stop(20).then(() => {
      stopped = true;
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(stopped).toBe(true);
    await stop;
  });
});
