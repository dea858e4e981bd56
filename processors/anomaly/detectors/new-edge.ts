// New call paths: a source→destination edge not seen before, once the learning period is over.
// Edges live in a bounded LRU with expiry (edge_ttl), so an edge unused for a week is new again.
import type { Observation } from '../observation.ts';
import type { Detector } from './detector.ts';

export const newEdgeDetector: Detector = (b, ctx) => {
  const c = ctx.config;
  const learning = b.start - ctx.firstSeen < c.learning_period;
  const out: Observation[] = [];
  for (const [edge, n] of b.pairs) {
    const last = ctx.edges.get(edge);
    const known = last !== undefined && b.start - last <= c.edge_ttl;
    ctx.edges.set(edge, b.start);
    if (known || learning || n < c.floors.edge_requests) continue;
    out.push({
      kind: 'new_edge',
      scope: 'edge',
      key: edge,
      active: true,
      observed: n,
      baseline: 0,
      score: n,
    });
  }
  return out;
};
