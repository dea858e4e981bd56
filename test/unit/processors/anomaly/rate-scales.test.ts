// Many time scales: a destination with ~1 request a minute never reaches the per-bucket floor, so
// before coarser scales it was never judged. Judged on 15-minute sums, a steady day raises nothing
// and an hour at 8× fires a burst on it;
// an hour at 3× stays under scale_burst_ratio.
import { describe, expect, it } from 'vitest';
import { emptyBucket } from '../../../../processors/anomaly/aggregate.ts';
import type { AnomalyConfig } from '../../../../processors/anomaly/config.ts';
import { AnomalyEngine } from '../../../../processors/anomaly/engine.ts';
import { suiteConfig } from '../../../support/anomaly-suite.ts';
import { mulberry32 } from '../../../support/mesh-traffic.ts';

const MIN = 60_000;
const START = Date.UTC(2026, 10, 2);

function poissonSmall(rand: () => number, lambda: number): number {
  let k = 0;
  let p = Math.exp(-lambda);
  let s = p;
  const u = rand();
  while (u > s && k < 1000) {
    k++;
    p *= lambda / k;
    s += p;
  }
  return k;
}

function run(
  burstFrom?: number,
  factor = 8,
  extra: Partial<AnomalyConfig> = {},
): { kind: string; since: number }[] {
  const config = suiteConfig({ detectors: ['burst', 'drop'], ...extra });
  const engine = new AnomalyEngine(config);
  const rand = mulberry32(9);
  const fired: { kind: string; since: number }[] = [];
  for (let m = 0; m < 24 * 60; m++) {
    const start = START + m * MIN;
    const burst = burstFrom !== undefined && m >= burstFrom && m < burstFrom + 60;
    const n = poissonSmall(rand, burst ? factor : 1);
    const b = emptyBucket(start);
    if (n > 0) {
      b.records = n;
      b.requests.set('ledger', n);
      b.pairs.set('billing→ledger', n);
      b.sources.set('billing', n);
    }
    for (const j of engine.add({ buckets: [b], newest: start + MIN, late: 0 }))
      for (const e of j.events)
        if (e.state === 'firing' && e.scope === 'destination') fired.push({ kind: e.kind, since: e.since });
  }
  return fired;
}

describe('rate detectors on a slow series', () => {
  it('a steady day at ~1 request a minute raises nothing', () => {
    expect(run()).toEqual([]);
  });

  it('an hour at 8× fires a burst within it, judged on coarser windows', () => {
    const from = 16 * 60;
    const fired = run(from);
    expect(fired.map((f) => f.kind)).toEqual(['burst']);
    expect(fired[0]?.since).toBeGreaterThanOrEqual(START + from * MIN);
    expect(fired[0]?.since).toBeLessThan(START + (from + 60) * MIN);
  });

  it('an hour at 3× is below scale_burst_ratio (4) on a slow series; at ratio 2 it fires', () => {
    const from = 16 * 60;
    expect(run(from, 3)).toEqual([]);
    expect(run(from, 3, { scale_burst_ratio: 2 }).map((f) => f.kind)).toEqual(['burst']);
  });
});
