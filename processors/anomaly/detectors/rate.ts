// Bursts and drops of request rate, per destination service and per source→destination edge.
// Rates count the requests that were not denied: a 403 storm is the access_denied detector's one
// alarm, not also a burst. A drop needs a full window of history: a series younger than `window`
// buckets that stops (the end of a scan, of a storm, of a short-lived edge) is not a drop.
import type { Observation, Scope } from '../observation.ts';
import { continuous, type Series } from '../series.ts';
import { type Detector, learnUnlessActive, scoreAll } from './detector.ts';
import { judgeScales } from './rate-scales.ts';

export const rateDetector: Detector = (b, ctx) => {
  const c = ctx.config;
  const burstOn = c.detectors.includes('burst');
  const dropOn = c.detectors.includes('drop');
  const out: Observation[] = [];
  const groups: [string, Scope, Map<string, number>][] = [
    ['rate', 'destination', allowed(b.requests, b.deniedByDestination)],
    ['pair_rate', 'edge', allowed(b.pairs, b.deniedPairs)],
  ];
  for (const [metric, scope, values] of groups) {
    for (const s of scoreAll(ctx, metric, values, b.start, true)) {
      const ready = s.base.history >= c.min_history;
      const e = s.base.expected;
      const w = s.series.window;
      let burst =
        ready &&
        s.x >= c.floors.requests &&
        s.score >= c.threshold &&
        s.x >= e * c.burst_ratio &&
        s.x > Math.max(...w);
      const full = s.base.history >= c.window;
      let drop =
        (continuous(s.series, s.x) || s.x > 0) &&
        full &&
        e >= c.floors.requests &&
        s.x <= e * c.drop_ratio &&
        s.score <= -c.threshold / 2 &&
        s.x < Math.min(...w);
      let common: Omit<Observation, 'kind' | 'active'> = {
        scope,
        key: s.key,
        observed: s.x,
        baseline: e,
        score: s.score,
        // A rate's verdict already weighs a whole window at coarse scales, and a sampled series'
        // burst may last one bucket: waiting for a second one only makes the alert late.
        immediate: true,
      };
      learnUnlessActive(ctx, s, burst || drop, b.start);
      // Too slow to judge per bucket: the finest coarser scale with enough volume decides.
      const scaled = judgeScales(ctx, metric, s.key, s.x, b.start);
      if (scaled && e < c.floors.requests) {
        burst = scaled.verdict === 'burst';
        drop = scaled.verdict === 'drop';
        common = {
          scope,
          key: s.key,
          observed: scaled.observed,
          baseline: scaled.expected,
          score: scaled.score,
          immediate: true,
        };
      }
      [burst, drop] = cooldown(s.series, burst, drop, Math.abs(common.score), b.start, c.cooldown);
      if (burstOn) out.push({ kind: 'burst', active: burst, ...common });
      // A drop waits for fire_after buckets unless it is deep (a full threshold) and not to
      // nothing: a sampled series' dip may last one bucket; an empty bucket is not yet an outage.
      const deep = s.x > 0 && -common.score >= c.threshold;
      if (dropOn) out.push({ kind: 'drop', active: drop, ...common, score: -common.score, immediate: deep });
    }
  }
  return out;
};

/**
 * Once a burst or drop episode ends, a new one on the same series is not reported for `cooldown`
 * of event time unless it scores higher than every episode in that span: one alarm per episode, not
 * one per flap of a noisy series, and a worse storm is still reported at once.
 */
function cooldown(
  s: Series,
  burst: boolean,
  drop: boolean,
  score: number,
  at: number,
  span: number,
): [boolean, boolean] {
  const kind = burst ? 'burst' : drop ? 'drop' : undefined;
  if (kind === undefined) {
    s.episode = undefined;
    return [false, false];
  }
  const quiet = at < (s.quietUntil ?? 0);
  if (s.episode !== kind && quiet && score <= (s.quietPeak ?? 0)) return [false, false];
  s.quietPeak = s.episode === kind || quiet ? Math.max(s.quietPeak ?? 0, score) : score;
  s.episode = kind;
  s.quietUntil = at + span;
  return [burst, drop];
}

function allowed(requests: Map<string, number>, denied: Map<string, number>): Map<string, number> {
  if (denied.size === 0) return requests;
  const out = new Map<string, number>();
  for (const [k, n] of requests) {
    const left = n - (denied.get(k) ?? 0);
    if (left > 0) out.set(k, left);
  }
  return out;
}
