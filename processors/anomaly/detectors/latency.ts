// Shifts of p99 duration per destination, from the merged log-bucket histogram (2% relative error).
import { histogramCount, histogramQuantile } from '../log-histogram.ts';
import type { Observation } from '../observation.ts';
import { type Detector, learnUnlessActive, scoreAll } from './detector.ts';

export const latencyDetector: Detector = (b, ctx) => {
  const c = ctx.config;
  const p99 = new Map<string, number>();
  for (const [dst, h] of b.durations) {
    if (histogramCount(h) < c.floors.requests) continue;
    const q = histogramQuantile(h, 0.99);
    if (q !== undefined) p99.set(dst, q);
  }
  const out: Observation[] = [];
  for (const s of scoreAll(ctx, 'p99', p99, b.start, false)) {
    if (!p99.has(s.key)) continue;
    const e = s.base.expected;
    const active = s.base.history >= c.min_history && s.x >= e * c.latency_ratio && s.score >= c.threshold;
    out.push({
      kind: 'latency',
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
