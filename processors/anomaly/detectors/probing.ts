// Probing: a source that uses many route templates its own history has not seen (paths masked and
// mined per destination, so ids are not routes), reaches many distinct destinations (HyperLogLog
// estimate), or gets many 404 NR route_not_found, well above what it usually does.
import { hllEstimate } from '../hyperloglog.ts';
import type { Observation } from '../observation.ts';
import { type Detector, learnUnlessActive, rareSpike, type Scored, scoreAll } from './detector.ts';

function estimates(m: Map<string, Uint8Array>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, h] of m) out.set(k, Math.round(hllEstimate(h)));
  return out;
}

export const probingDetector: Detector = (b, ctx) => {
  const c = ctx.config;
  const f = c.floors;
  const bySource = new Map<string, { active: boolean; best?: Scored }>();
  const judge = (metric: string, values: Map<string, number>, floor: number) => {
    for (const s of scoreAll(ctx, metric, values, b.start, true, true)) {
      const active = rareSpike(ctx, s, floor, c.threshold, true);
      const entry = bySource.get(s.key) ?? { active: false };
      if (
        !entry.best ||
        (active && !entry.active) ||
        (active === entry.active && s.score > entry.best.score)
      ) {
        entry.best = s;
      }
      entry.active ||= active;
      bySource.set(s.key, entry);
      learnUnlessActive(ctx, s, active, b.start);
    }
  };
  judge('new_routes', ctx.routes.newTemplates(b), f.distinct_paths);
  judge('distinct_destinations', estimates(b.destinations), f.distinct_destinations);
  judge('not_found', b.notFound, f.not_found);
  const out: Observation[] = [];
  for (const [key, { active, best }] of bySource) {
    if (!best) continue;
    out.push({
      kind: 'probing',
      scope: 'source',
      key,
      active,
      observed: best.x,
      baseline: best.base.expected,
      score: best.score,
    });
  }
  return out;
};
