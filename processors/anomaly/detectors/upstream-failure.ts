// Storms of upstream failure flags (UH no healthy upstream, UF connect failure, URX retries
// exhausted, UO circuit open) per destination.
import type { Observation } from '../observation.ts';
import { type Detector, learnUnlessActive, rareSpike, scoreAll } from './detector.ts';

export const upstreamFailureDetector: Detector = (b, ctx) => {
  const c = ctx.config;
  const out: Observation[] = [];
  for (const s of scoreAll(ctx, 'upstream_failures', b.upstream, b.start, true, true)) {
    const e = s.base.expected;
    // From a zero baseline, a Poisson count this far out is already rare: half the threshold.
    const active = rareSpike(ctx, s, c.floors.upstream_failures, c.threshold / 2);
    out.push({
      kind: 'upstream_failure',
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
