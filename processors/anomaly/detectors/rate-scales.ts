// Coarser time scales for a rate series too slow to judge per bucket: window sums over 1m, 5m, 15m
// and 1h of event time (those that are whole multiples of the bucket), each with its own baseline.
// A window's verdict (burst, drop or normal) holds until the next window of that scale closes, so
// hysteresis still counts buckets. The main rate detector uses the finest scale whose expected count
// reaches the request floor.
import type { AnomalyConfig } from '../config.ts';
import { baselineOf, continuous, learn, newSeries, type Series } from '../series.ts';
import type { DetectorContext } from './detector.ts';

const MIN = 60_000;
const SCALES = [MIN, 5 * MIN, 15 * MIN, 60 * MIN];

export type Verdict = 'burst' | 'drop' | 'normal';

export interface ScaledSeries extends Series {
  /** Sum of the window in progress. */
  partial?: number;
  /** The verdict of the last closed window. */
  held?: Verdict;
  /** Observed and expected count of that window, and its score. */
  last?: [observed: number, expected: number, score: number];
}

export function scalesOf(c: AnomalyConfig): number[] {
  return SCALES.filter((s) => s > c.bucket && s % c.bucket === 0);
}

export interface ScaledVerdict {
  verdict: Verdict;
  observed: number;
  expected: number;
  score: number;
}

/**
 * Adds this bucket's count to every scale of `key`; returns the held verdict of the finest scale
 * whose expected window count reaches the floor, or undefined when no scale has enough volume.
 */
export function judgeScales(
  ctx: DetectorContext,
  metric: string,
  key: string,
  x: number,
  bucketStart: number,
): ScaledVerdict | undefined {
  const c = ctx.config;
  let chosen: ScaledVerdict | undefined;
  let coarsest: ScaledVerdict | undefined;
  for (const scale of scalesOf(c)) {
    const store = ctx.store(`${metric}@${scale / MIN}m`);
    let s = store.get(key) as ScaledSeries | undefined;
    if (!s) {
      s = newSeries();
      store.set(key, s);
    }
    s.partial = (s.partial ?? 0) + x;
    if ((bucketStart + c.bucket) % scale === 0) closeWindow(c, s, bucketStart);
    const [observed, expected, score] = s.last ?? [0, 0, 0];
    const verdict = { verdict: s.held ?? 'normal', observed, expected, score } as const;
    if (s.window.length < c.min_history) continue;
    coarsest = verdict;
    if (!chosen && expected >= c.floors.requests) chosen = verdict;
  }
  // Too slow even for an hour's sum: the coarsest scale still judges bursts (they need the floor).
  return chosen ?? coarsest;
}

function closeWindow(c: AnomalyConfig, s: ScaledSeries, at: number): void {
  const x = s.partial ?? 0;
  s.partial = 0;
  const seasonal = c.seasonality === 'hour_of_week';
  const base = baselineOf(s, at, true, seasonal);
  const e = base.expected;
  const score = (x - e) / base.sigma;
  const ready = base.history >= c.min_history;
  const burst =
    ready &&
    x >= c.floors.requests &&
    score >= c.threshold &&
    x >= e * c.scale_burst_ratio &&
    x > Math.max(...s.window);
  const drop =
    (continuous(s, x) || x > 0) &&
    base.history >= c.window &&
    e >= c.floors.requests &&
    x <= e * c.drop_ratio &&
    score <= -c.threshold / 2 &&
    x < Math.min(...s.window);
  s.held = burst ? 'burst' : drop ? 'drop' : 'normal';
  s.last = [x, e, score];
  if (!burst && !drop) learn(s, x, at, c.window, c.ewma_alpha, seasonal);
}
