// Shifts of the 5xx ratio per destination, judged only on buckets with enough requests.
import type { Observation } from '../observation.ts';
import { type Detector, learnUnlessActive, scoreAll } from './detector.ts';

export const errorRatioDetector: Detector = (b, ctx) => {
  const c = ctx.config;
  const ratios = new Map<string, number>();
  for (const [dst, n] of b.requests) {
    if (n >= c.floors.requests) ratios.set(dst, (b.errors.get(dst) ?? 0) / n);
  }
  const out: Observation[] = [];
  for (const s of scoreAll(ctx, 'error_ratio', ratios, b.start, false)) {
    if (!ratios.has(s.key)) continue; // too few requests this bucket: no judgement, no learning
    const errors = b.errors.get(s.key) ?? 0;
    const e = s.base.expected;
    const active =
      s.base.history >= c.min_history &&
      errors >= c.floors.errors &&
      s.x >= c.error_ratio &&
      s.x - e >= Math.max(c.threshold * s.base.sigma, 0.02);
    out.push({
      kind: 'error_ratio',
      scope: 'destination',
      key: s.key,
      active,
      observed: s.x,
      baseline: e,
      score: s.score,
    });
    learnUnlessActive(ctx, s, active, b.start);
  }
  return out;
};
