// One seeded scenario per detector: three hours of synthetic mesh traffic (1-minute buckets) with one
// injection at minute 130, through the worker part and the engine with only that detector on. Each
// fires on the injected key while the injection runs, and on nothing else.
import { describe, expect, it } from 'vitest';
import type { AnomalyKind } from '../../../../processors/anomaly/config.ts';
import { AnomalyEngine } from '../../../../processors/anomaly/engine.ts';
import { aggregateBatch } from '../../../../processors/anomaly/worker.ts';
import { suiteConfig } from '../../../support/anomaly-suite.ts';
import { type InjectedKind, type Injection, traffic } from '../../../support/mesh-traffic.ts';

const MIN = 60_000;
const START = Date.UTC(2026, 10, 2, 8, 0, 0);

interface Fired {
  kind: string;
  scope: string;
  key: string;
  since: number;
}

function run(detectors: AnomalyKind[], injections: Injection[], minutes = 180): Fired[] {
  const config = suiteConfig({ detectors });
  const engine = new AnomalyEngine(config);
  const fired: Fired[] = [];
  for (const batch of traffic({ seed: 11, start: START, minutes, rate: 40, injections })) {
    for (const j of engine.add(aggregateBatch(batch, config.bucket)))
      for (const e of j.events)
        if (e.state === 'firing') fired.push({ kind: e.kind, scope: e.scope, key: e.key, since: e.since });
  }
  return fired;
}

function inject(kind: InjectedKind, keys: string[], at = 130, length = 8): Injection {
  return { kind, detects: [], keys, start: START + at * MIN, end: START + (at + length) * MIN };
}

/** Every fired anomaly started while the injection ran. */
function during(fired: Fired[], i: Injection): void {
  for (const f of fired) {
    expect(f.since, `${f.kind} ${f.key}`).toBeGreaterThanOrEqual(i.start);
    expect(f.since, `${f.kind} ${f.key}`).toBeLessThan(i.end);
  }
}

describe('anomaly detectors, one injection each', () => {
  it('burst: a 5× edge rate fires on the edge and its destination', () => {
    const i = inject('burst', ['frontend→reviews']);
    const fired = run(['burst'], [i]);
    expect(new Set(fired.map((f) => `${f.scope} ${f.key}`))).toEqual(
      new Set(['edge frontend→reviews', 'destination reviews']),
    );
    during(fired, i);
  });

  it('drop: a destination at 5 % of its rate fires drop on it', () => {
    const i = inject('drop', ['reviews']);
    const fired = run(['drop'], [i]);
    expect(fired.some((f) => f.scope === 'destination' && f.key === 'reviews')).toBe(true);
    for (const f of fired) expect(f.key.endsWith('reviews'), f.key).toBe(true);
    during(fired, i);
  });

  it('access_denied: a 403 storm from one source is one alarm, on the source', () => {
    const i = inject('access_denied', ['intruder', 'reviews']);
    const fired = run(['access_denied'], [i]);
    expect(fired.map((f) => `${f.scope} ${f.key}`)).toEqual(['source intruder']);
    during(fired, i);
  });

  it('access_denied: denials from many sources at once also fire on the destination', () => {
    const many = ['a', 'b', 'c', 'd', 'e', 'f'].map((s) =>
      inject('access_denied', [`intruder-${s}`, 'reviews']),
    );
    const fired = run(['access_denied'], many);
    expect(fired.filter((f) => f.scope === 'destination').map((f) => f.key)).toEqual(['reviews']);
    expect(fired.filter((f) => f.scope === 'source')).toHaveLength(6);
  });

  it('probing: a scanner reaching every destination with 404 NR fires on the scanner', () => {
    const i = inject('probing', ['10.9.0.66']);
    const fired = run(['probing'], [i]);
    expect(fired.map((f) => `${f.scope} ${f.key}`)).toEqual(['source 10.9.0.66']);
    during(fired, i);
  });

  it('new_edge: a new caller→callee after the learning period fires once; during it, nothing', () => {
    const early = inject('new_edge', ['frontend→payments'], 20);
    const late = inject('new_edge', ['cart→users'], 130);
    const fired = run(['new_edge'], [early, late]);
    expect(fired.map((f) => `${f.scope} ${f.key}`)).toEqual(['edge cart→users']);
    during(fired, late);
  });

  it('error_ratio: 30 % 5xx on a destination fires on it', () => {
    const i = inject('error_storm', ['ratings']);
    const fired = run(['error_ratio'], [i]);
    expect(fired.map((f) => `${f.scope} ${f.key}`)).toEqual(['destination ratings']);
    during(fired, i);
  });

  it('latency: a 5× slower destination fires on its p99', () => {
    const i = inject('latency', ['details']);
    const fired = run(['latency'], [i]);
    expect(fired.map((f) => `${f.scope} ${f.key}`)).toEqual(['destination details']);
    during(fired, i);
  });

  it('upstream_failure: a storm of UF/URX flags fires on the destination', () => {
    const i = inject('error_storm', ['payments']);
    const fired = run(['upstream_failure'], [i]);
    expect(fired.map((f) => `${f.scope} ${f.key}`)).toEqual(['destination payments']);
    during(fired, i);
  });
});
