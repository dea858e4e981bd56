// Spikes of denied requests (401/403, RBAC, JWT, ext_authz/UAEX) per source identity and per
// destination. Denials are rare, so no history is needed: the baseline starts at zero.
//
// One storm, one alarm: a destination's spike defers to the source-level alarms when at most
// DEFER_MAX_SOURCES active sources account for at least DEFER_SHARE of its denials in the bucket.
// The destination alarm is left for what no few sources explain (many callers denied at once, e.g.
// a broken policy), and a deferred bucket is not learned (the storm does not become normal).
import { EDGE } from '../aggregate.ts';
import type { Observation } from '../observation.ts';
import { type Detector, learnUnlessActive, rareSpike, type Scored, scoreAll } from './detector.ts';

export const DEFER_MAX_SOURCES = 3;
export const DEFER_SHARE = 0.8;

export const accessDeniedDetector: Detector = (b, ctx) => {
  const c = ctx.config;
  const out: Observation[] = [];
  const spike = (s: Scored) => rareSpike(ctx, s, c.floors.denials, c.threshold);
  const observe = (s: Scored, scope: 'source' | 'destination', active: boolean): Observation => ({
    kind: 'access_denied',
    scope,
    key: s.key,
    active,
    observed: s.x,
    baseline: s.base.expected,
    score: s.score,
  });
  const activeSources = new Set<string>();
  for (const s of scoreAll(ctx, 'denied_source', b.deniedBySource, b.start, true, true)) {
    const active = spike(s);
    if (active) activeSources.add(s.key);
    out.push(observe(s, 'source', active));
    learnUnlessActive(ctx, s, active, b.start);
  }
  for (const s of scoreAll(ctx, 'denied_destination', b.deniedByDestination, b.start, true, true)) {
    const anomalous = spike(s);
    const deferred = anomalous && explainedBySources(b.deniedPairs, activeSources, s.key, s.x);
    out.push(observe(s, 'destination', anomalous && !deferred));
    learnUnlessActive(ctx, s, anomalous, b.start);
  }
  return out;
};

/** Whether at most DEFER_MAX_SOURCES of the active sources cover DEFER_SHARE of `denied` at `dst`. */
export function explainedBySources(
  pairs: Map<string, number>,
  activeSources: ReadonlySet<string>,
  dst: string,
  denied: number,
): boolean {
  if (activeSources.size === 0 || denied <= 0) return false;
  const counts: number[] = [];
  for (const src of activeSources) {
    const n = pairs.get(src + EDGE + dst);
    if (n) counts.push(n);
  }
  counts.sort((x, y) => y - x);
  let covered = 0;
  for (const n of counts.slice(0, DEFER_MAX_SOURCES)) covered += n;
  return covered >= DEFER_SHARE * denied;
}
