// Bursts and drops of request rate, per destination service and per source→destination edge.
import type { Observation, Scope } from '../observation.ts';
import { type Detector, learnUnlessActive, scoreAll } from './detector.ts';

export const rateDetector: Detector = (b, ctx) => {
  const c = ctx.config;
  const burstOn = c.detectors.includes('burst');
  const dropOn = c.detectors.includes('drop');
  const out: Observation[] = [];
  const groups: [string, Scope, Map<string, number>][] = [
    ['rate', 'destination', b.requests],
    ['pair_rate', 'edge', b.pairs],
  ];
  for (const [metric, scope, values] of groups) {
    for (const s of scoreAll(ctx, metric, values, b.start, true)) {
      const ready = s.base.history >= c.min_history;
      const e = s.base.expected;
      const burst = ready && s.x >= c.floors.requests && s.score >= c.threshold && s.x >= e * c.burst_ratio;
      const drop = ready && e >= c.floors.requests && s.x <= e * c.drop_ratio && s.score <= -c.threshold / 2;
      const common = { scope, key: s.key, observed: s.x, baseline: e, score: s.score };
      if (burstOn) out.push({ kind: 'burst', active: burst, ...common });
      if (dropOn) out.push({ kind: 'drop', active: drop, ...common, score: -s.score });
      learnUnlessActive(ctx, s, burst || drop, b.start);
    }
  }
  return out;
};
