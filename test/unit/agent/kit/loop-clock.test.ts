// One timer for every user of the loop clock: each listener sees the same ticks, and the clock
// stops when the last one leaves.
import { expect, it } from 'vitest';
import { LOOP_CLOCK_MS, lastLoopTick, onLoopTick } from '../../../../agent/kit/loop-clock.ts';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('gives every listener the same ticks from one timer, and stops with the last listener', async () => {
  const a: number[] = [];
  const b: number[] = [];
  const offA = onLoopTick((_gap, now) => a.push(now));
  const offB = onLoopTick((_gap, now) => b.push(now));
  await pause(LOOP_CLOCK_MS * 3.5);
  offB();
  expect(a.length).toBeGreaterThanOrEqual(2);
  expect(b).toEqual(a.slice(0, b.length));
  await pause(LOOP_CLOCK_MS * 2.5);
  expect(a.length).toBeGreaterThan(b.length); // still ticking for the one left
  offA();
  const stoppedAt = lastLoopTick();
  const n = a.length;
  await pause(LOOP_CLOCK_MS * 3);
  expect([a.length, lastLoopTick()]).toEqual([n, stoppedAt]);
});

it('reports the gap a stalled loop left between two ticks', async () => {
  const gaps: number[] = [];
  const off = onLoopTick((gap) => gaps.push(gap));
  try {
    await pause(LOOP_CLOCK_MS * 1.5);
    const until = performance.now() + 350;
    while (performance.now() < until) {}
    await pause(LOOP_CLOCK_MS * 1.5);
    expect(Math.max(...gaps)).toBeGreaterThanOrEqual(350);
  } finally {
    off();
  }
});
