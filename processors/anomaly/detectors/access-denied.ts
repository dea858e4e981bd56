// Spikes of denied requests (401/403, RBAC, JWT, ext_authz/UAEX) per source identity and per
// destination. Denials are rare, so no history is needed: the baseline starts at zero.
import type { Observation, Scope } from '../observation.ts';
import { type Detector, learnUnlessActive, scoreAll } from './detector.ts';

export const accessDeniedDetector: Detector = (b, ctx) => {
  const c = ctx.config;
  const out: Observation[] = [];
  const groups: [string, Scope, Map<string, number>][] = [
    ['denied_source', 'source', b.deniedBySource],
    ['denied_destination', 'destination', b.deniedByDestination],
  ];
  for (const [metric, scope, values] of groups) {
    for (const s of scoreAll(ctx, metric, values, b.start, true, true)) {
      const e = s.base.expected;
      const active = s.x >= c.floors.denials && s.score >= c.threshold && s.x >= 2 * e;
      out.push({
        kind: 'access_denied',
        scope,
        key: s.key,
        active,
        observed: s.x,
        baseline: e,
        score: s.score,
      });
      learnUnlessActive(ctx, s, active, b.start);
    }
  }
  return out;
};
