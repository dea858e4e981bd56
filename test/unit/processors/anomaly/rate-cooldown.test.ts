// Cooldown: after a burst episode, a second burst of the same strength on the same series within
// `cooldown` is not reported again, a stronger one is, and without a cooldown both are.
import { describe, expect, it } from 'vitest';
import { emptyBucket } from '../../../../processors/anomaly/aggregate.ts';
import { AnomalyEngine } from '../../../../processors/anomaly/engine.ts';
import { suiteConfig } from '../../../support/anomaly-suite.ts';

const MIN = 60_000;
const START = Date.UTC(2026, 10, 2);

function run(cooldown: number, bursts: [minute: number, factor: number][]): number[] {
  const engine = new AnomalyEngine(suiteConfig({ detectors: ['burst'], cooldown }));
  const fired: number[] = [];
  for (let m = 0; m < 8 * 60; m++) {
    const start = START + m * MIN;
    const factor = bursts.find(([from]) => m >= from && m < from + 6)?.[1] ?? 1;
    const n = Math.round((100 + ((m * 37) % 11) - 5) * factor);
    const b = emptyBucket(start);
    b.records = n;
    b.requests.set('ledger', n);
    b.pairs.set('billing→ledger', n);
    b.sources.set('billing', n);
    for (const j of engine.add({ buckets: [b], newest: start + MIN, late: 0 }))
      for (const e of j.events)
        if (e.state === 'firing' && e.scope === 'destination') fired.push((e.since - START) / MIN);
  }
  return fired;
}

describe('rate cooldown', () => {
  const twice: [number, number][] = [
    [120, 5],
    [240, 5],
  ];
  it('a second burst of the same strength within the cooldown is not reported', () => {
    expect(run(12 * 60 * MIN, twice)).toEqual([120]);
  });

  it('without a cooldown both are', () => {
    expect(run(0, twice)).toEqual([120, 240]);
  });

  it('a stronger burst within the cooldown is reported at once', () => {
    expect(run(12 * 60 * MIN, [...twice.slice(0, 1), [240, 20]])).toEqual([120, 240]);
  });
});
