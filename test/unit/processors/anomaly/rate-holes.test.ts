// Drops on sampled series: a series whose buckets are routinely empty (a sampled feed) raises no drop
// when it has a hole, a continuous series that stops still does, and a deep drop to a low level
// fires in its first bucket while a drop to nothing waits for fire_after buckets.
import { describe, expect, it } from 'vitest';
import { emptyBucket } from '../../../../processors/anomaly/aggregate.ts';
import { AnomalyEngine } from '../../../../processors/anomaly/engine.ts';
import { suiteConfig } from '../../../support/anomaly-suite.ts';

const MIN = 60_000;
const START = Date.UTC(2026, 10, 2);

/** Minutes (since START) at which drops fired on the destination; `count(m)` is minute m's count. */
function drops(count: (m: number) => number, minutes = 10 * 60): number[] {
  const engine = new AnomalyEngine(suiteConfig({ detectors: ['drop'], cooldown: 0 }));
  const fired: number[] = [];
  for (let m = 0; m < minutes; m++) {
    const start = START + m * MIN;
    const n = count(m);
    const b = emptyBucket(start);
    if (n > 0) {
      b.records = n;
      b.requests.set('ledger', n);
      b.pairs.set('billing→ledger', n);
      b.sources.set('billing', n);
    }
    for (const j of engine.add({ buckets: [b], newest: start + MIN, late: 0 }))
      for (const e of j.events)
        if (e.state === 'firing' && e.scope === 'destination') fired.push((e.at - START) / MIN - 1);
  }
  return fired;
}

const level = (m: number) => 100 + ((m * 37) % 11) - 5;
/** Empty two minutes in a row every 97 minutes (2 % of buckets), each hole past the window. */
const holey = (m: number) => (m % 97 === 50 || m % 97 === 51 ? 0 : level(m));

describe('rate drops and holes', () => {
  it('a sampled series raises a drop on its first hole only: then holes are routine', () => {
    // Without the share of empty buckets, every hole fired: [51, 148, 245, 342, 439, 536].
    expect(drops(holey)).toEqual([51]);
  });

  it('a continuous series that stops for good fires a drop after fire_after buckets', () => {
    expect(drops((m) => (m >= 300 && m < 310 ? 0 : level(m)))).toEqual([301]);
  });

  it('a deep drop to a low level fires in its first bucket', () => {
    expect(drops((m) => (m >= 300 && m < 310 ? 5 : level(m)))).toEqual([300]);
  });
});
