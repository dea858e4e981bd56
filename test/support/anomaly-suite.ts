// Runs the seeded synthetic traffic through the anomaly worker part and engine in event time and
// scores the fired anomalies against the injected labels. Precision is strict per kind: a fired
// anomaly is true only when it names a key of an injection (its source, destination or edge) while
// the injection runs or within `grace` after it ends, AND its kind is one the injection `detects`
// or `accepts` (mesh-traffic.ts ACCEPTS: a 403 storm or a scan from a new source is also a new edge).

import type { ResourceLogs } from '../../agent/kit/record/record.ts';
import { EDGE } from '../../processors/anomaly/aggregate.ts';
import type { AnomalyConfig } from '../../processors/anomaly/config.ts';
import { ANOMALY_KINDS, anomalyConfig } from '../../processors/anomaly/config.ts';
import { AnomalyEngine } from '../../processors/anomaly/engine.ts';
import { aggregateBatch } from '../../processors/anomaly/worker.ts';
import { type Injection, schedule, traffic } from './mesh-traffic.ts';

export interface SuiteOptions {
  seed: number;
  hours: number;
  rate: number;
  config?: Partial<AnomalyConfig>;
}

export interface DetectorRow {
  kind: string;
  injected: number;
  detected: number;
  fired: number;
  truePositives: number;
  precision: number;
  recall: number;
}

export interface SuiteResult {
  rows: DetectorRow[];
  records: number;
  quietHours: number;
  falseInQuietHours: number;
  falsePerQuietHour: number;
  injections: Injection[];
}

const MIN = 60_000;
const START = Date.UTC(2026, 10, 2, 0, 0, 0);

export function suiteConfig(extra: Partial<AnomalyConfig> = {}): AnomalyConfig {
  return {
    ...anomalyConfig.parse({
      bucket: '1m',
      allowed_lateness: '0s',
      floors: { requests: 10, errors: 5, upstream_failures: 5, denials: 20 },
    }),
    ...extra,
  };
}

/** The labelled day's injections: one of each kind in turn, around quiet hours. */
export function suiteInjections(o: SuiteOptions, config: AnomalyConfig): Injection[] {
  const grace = (config.fire_after + config.resolve_after + 2) * config.bucket;
  return schedule({
    seed: o.seed,
    start: START,
    minutes: o.hours * 60,
    warmup: 90,
    every: 20,
    length: 8,
    quietEvery: 3,
    tail: Math.ceil(grace / MIN) + 1,
  });
}

/** The labelled day's records in input order, one batch per minute of event time. */
export function suiteTraffic(o: SuiteOptions, injections: Injection[]): Generator<ResourceLogs> {
  return traffic({ seed: o.seed, start: START, minutes: o.hours * 60, rate: o.rate, injections });
}

export function runSuite(o: SuiteOptions): SuiteResult {
  const config = suiteConfig(o.config);
  const grace = (config.fire_after + config.resolve_after + 2) * config.bucket;
  const injections = suiteInjections(o, config);
  const engine = new AnomalyEngine(config);
  const fires: { kind: string; key: string; at: number }[] = [];
  let records = 0;
  for (const batch of suiteTraffic(o, injections)) {
    records += batch.records.length;
    for (const j of engine.add(aggregateBatch(batch, config.bucket))) {
      for (const e of j.events)
        if (e.state === 'firing') fires.push({ kind: e.kind, key: e.key, at: e.since });
    }
  }
  const matches = (f: { kind: string; key: string; at: number }, i: Injection) => {
    if (!i.detects.includes(f.kind) && !i.accepts?.includes(f.kind)) return false;
    if (f.at < i.start - config.bucket || f.at > i.end + grace) return false;
    const parts = f.key.includes(EDGE) ? [f.key, ...f.key.split(EDGE)] : [f.key];
    return parts.some((p) => i.keys.includes(p));
  };
  // proxy_error reads operational lines, which this access traffic has none of (proxy-error.test.ts).
  const kinds = ANOMALY_KINDS.filter((k) => k !== 'proxy_error');
  const rows: DetectorRow[] = kinds.map((kind) => {
    const mine = fires.filter((f) => f.kind === kind);
    const truePositives = mine.filter((f) => injections.some((i) => matches(f, i))).length;
    const expected = injections.filter((i) => i.detects.includes(kind));
    const detected = expected.filter((i) => mine.some((f) => matches(f, i))).length;
    return {
      kind,
      injected: expected.length,
      detected,
      fired: mine.length,
      truePositives,
      precision: mine.length ? truePositives / mine.length : 1,
      recall: expected.length ? detected / expected.length : 1,
    };
  });
  // Quiet hours: no injection (plus grace) overlaps them.
  let quietHours = 0;
  let falseInQuietHours = 0;
  for (let h = 0; h < o.hours; h++) {
    const s = START + h * 60 * MIN;
    const e = s + 60 * MIN;
    if (injections.some((i) => i.start < e && i.end + grace > s)) continue;
    quietHours++;
    falseInQuietHours += fires.filter(
      (f) => f.at >= s && f.at < e && !injections.some((i) => matches(f, i)),
    ).length;
  }
  return {
    rows,
    records,
    quietHours,
    falseInQuietHours,
    falsePerQuietHour: quietHours ? falseInQuietHours / quietHours : 0,
    injections,
  };
}
