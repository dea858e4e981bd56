// The detector contract and the scoring every count detector shares: per (metric, key) a baseline
// that learns only from buckets that were not anomalous (a long storm does not become normal).
import type { BucketAggregate } from '../aggregate.ts';
import type { AnomalyConfig } from '../config.ts';
import type { Observation } from '../observation.ts';
import type { ProxySignatures } from '../proxy-signatures.ts';
import type { RouteHistory } from '../route-history.ts';
import { type Baseline, baselineOf, type Lru, learn, newSeries, type Series } from '../series.ts';

export interface DetectorContext {
  config: AnomalyConfig;
  /** The baseline store of one metric. */
  store(metric: string): Lru<Series>;
  /** Remembered edges → last seen (ms, event time). */
  edges: Lru<number>;
  /** Event time of the first bucket ever judged. */
  firstSeen: number;
  /** The route templates each source has used. */
  routes: RouteHistory;
  /** The proxy exception signatures of each workload. */
  proxy: ProxySignatures;
}

export type Detector = (bucket: BucketAggregate, ctx: DetectorContext) => Observation[];

export interface Scored {
  key: string;
  x: number;
  base: Baseline;
  score: number;
  series: Series;
}

/**
 * Scores every key of `values`. For counts, also every key the store already tracks (absent = 0, so a
 * series can drop or go quiet; a series whose history is all zero is forgotten). For ratios and
 * quantiles an absent key means "too few requests to judge", not zero: it is neither scored nor
 * forgotten (forgetting it reset the history of a quiet destination every time it dipped below the
 * floor, so its error storm was never judged).
 */
export function scoreAll(
  ctx: DetectorContext,
  metric: string,
  values: Map<string, number>,
  at: number,
  counts: boolean,
  /** Rare events (denials, failures): an unseen key has a history of zeros, not none. */
  zeroPrior = false,
): Scored[] {
  const store = ctx.store(metric);
  const seasonal = ctx.config.seasonality === 'hour_of_week';
  const out: Scored[] = [];
  for (const key of counts ? [...store.keys()] : []) {
    if (values.has(key)) continue;
    const series = store.peek(key);
    if (!series) continue;
    if (series.ewma.value < 0.01 && series.window.every((v) => v === 0)) {
      store.delete(key);
      continue;
    }
    out.push(score(key, 0, series, at, counts, seasonal));
  }
  for (const [key, x] of values) {
    let series = store.get(key);
    if (!series) {
      series = newSeries();
      if (zeroPrior) series.window = new Array<number>(ctx.config.min_history).fill(0);
      store.set(key, series);
    }
    out.push(score(key, x, series, at, counts, seasonal));
  }
  return out;
}

function score(
  key: string,
  x: number,
  series: Series,
  at: number,
  counts: boolean,
  seasonal: boolean,
): Scored {
  const base = baselineOf(series, at, counts, seasonal);
  return { key, x, base, score: (x - base.expected) / base.sigma, series };
}

export function learnUnlessActive(ctx: DetectorContext, s: Scored, active: boolean, at: number): void {
  if (active) return;
  const c = ctx.config;
  learn(s.series, s.x, at, c.window, c.ewma_alpha, c.seasonality === 'hour_of_week');
}

/**
 * A spike of a rare count (denials, failures, probes), judged from a history of zeros: at least
 * `floor`, `threshold` robust deviations and twice the baseline. With `evidence`, a key with fewer
 * than min_history buckets of its own history (only the zeros it was given) needs twice the floor.
 */
export function rareSpike(
  ctx: DetectorContext,
  s: Scored,
  floor: number,
  threshold: number,
  evidence = false,
): boolean {
  const young = evidence && s.series.ewma.n < ctx.config.min_history;
  return s.x >= (young ? 2 * floor : floor) && s.score >= threshold && s.x >= 2 * s.base.expected;
}
