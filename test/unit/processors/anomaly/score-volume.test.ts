// Bounded output: 55 days of one destination's traffic (event time, 1-minute buckets, replayed as
// fast as it goes) writes score points only where something happens, never more than
// max_score_points per bucket; the old rule (every series with a score >= 1, every bucket) wrote
// a point for a large share of all buckets.
import { describe, expect, it } from 'vitest';
import { emptyBucket } from '../../../../processors/anomaly/aggregate.ts';
import { scoreMetric } from '../../../../processors/anomaly/anomaly-event.ts';
import { AnomalyEngine } from '../../../../processors/anomaly/engine.ts';
import { suiteConfig } from '../../../support/anomaly-suite.ts';
import { mulberry32 } from '../../../support/mesh-traffic.ts';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const START = Date.UTC(2026, 8, 1);

function poisson(rand: () => number, lambda: number): number {
  return Math.max(
    0,
    Math.round(
      lambda + Math.sqrt(lambda) * Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand()),
    ),
  );
}

describe('meshtail.anomaly.score volume', () => {
  it('55 days of one destination: points only where something happens, bounded per bucket', () => {
    const config = suiteConfig({ detectors: ['burst', 'drop'], max_score_points: 5 });
    const engine = new AnomalyEngine(config);
    const rand = mulberry32(55);
    const buckets = 55 * 24 * 60;
    let points = 0;
    let oldRule = 0;
    let maxInBucket = 0;
    let active = 0;
    for (let i = 0; i < buckets; i++) {
      const start = START + i * MIN;
      const shape = 0.3 + (0.7 * (1 - Math.cos((2 * Math.PI * ((start - START) % DAY)) / DAY))) / 2;
      const burst = i % (3 * 24 * 60) >= 1000 && i % (3 * 24 * 60) < 1010; // every third day, 10 minutes at 6×
      const n = poisson(rand, 120 * shape * (burst ? 6 : 1));
      const b = emptyBucket(start);
      b.records = n;
      b.requests.set('reviews', n);
      b.pairs.set('frontend→reviews', n);
      b.sources.set('frontend', n);
      for (const j of engine.add({ buckets: [b], newest: start + MIN - 1, late: 0 })) {
        const m = scoreMetric(
          j.observations,
          j.bucket.start,
          j.bucket.start + MIN,
          config.threshold,
          config.max_score_points,
        );
        const count = m.type === 'gauge' ? m.points.length : 0;
        points += count;
        maxInBucket = Math.max(maxInBucket, count);
        oldRule += j.observations.filter((o) => o.active || o.score >= 1).length;
        active += j.observations.filter((o) => o.active).length;
      }
    }
    expect(active).toBeGreaterThan(0); // the bursts are there and judged
    expect(maxInBucket).toBeLessThanOrEqual(config.max_score_points);
    expect(points).toBeGreaterThanOrEqual(active / 2);
    // Quiet traffic writes next to nothing: a few points a day, not one per bucket.
    expect(points).toBeLessThan(buckets / 50);
    expect(oldRule).toBeGreaterThan(10 * points);
  }, 120_000);
});
