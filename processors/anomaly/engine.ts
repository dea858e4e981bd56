// The detection core, free of I/O: merges bucket aggregates, runs the detectors on each closed
// bucket, applies hysteresis and returns the transitions. The main part and the tests drive it.
import type { BatchAggregate, BucketAggregate } from './aggregate.ts';
import { EDGE } from './aggregate.ts';
import type { AnyAlarm } from './alarm.ts';
import type { AnomalyEvent } from './anomaly-event.ts';
import { BucketWindow } from './bucket-window.ts';
import type { AnomalyConfig } from './config.ts';
import { HeavyHitters } from './count-min.ts';
import { accessDeniedDetector } from './detectors/access-denied.ts';
import type { Detector, DetectorContext } from './detectors/detector.ts';
import { errorRatioDetector } from './detectors/error-ratio.ts';
import { latencyDetector } from './detectors/latency.ts';
import { newEdgeDetector } from './detectors/new-edge.ts';
import { probingDetector } from './detectors/probing.ts';
import { proxyErrorDetector } from './detectors/proxy-error.ts';
import { rateDetector } from './detectors/rate.ts';
import { upstreamFailureDetector } from './detectors/upstream-failure.ts';
import { step } from './hysteresis.ts';
import { alarmId, type Observation, parseAlarmId } from './observation.ts';
import { ProxySignatures } from './proxy-signatures.ts';
import { RouteHistory } from './route-history.ts';
import { Lru, type Series } from './series.ts';
import type { EngineState } from './snapshot.ts';

export interface Judged {
  bucket: BucketAggregate;
  observations: Observation[];
  events: AnomalyEvent[];
}

export class AnomalyEngine {
  readonly #config: AnomalyConfig;
  readonly #window: BucketWindow;
  readonly #stores = new Map<string, Lru<Series>>();
  readonly #edges: Lru<number>;
  readonly #alarms = new Map<string, AnyAlarm>();
  readonly #detectors: Detector[];
  readonly #routes: RouteHistory;
  readonly #proxy: ProxySignatures;
  #firstSeen: number | undefined;

  constructor(config: AnomalyConfig, state?: EngineState) {
    this.#config = config;
    const on = (k: string) => config.detectors.includes(k as never);
    this.#detectors = [
      ...(on('burst') || on('drop') ? [rateDetector] : []),
      ...(on('access_denied') ? [accessDeniedDetector] : []),
      ...(on('probing') ? [probingDetector] : []),
      ...(on('new_edge') ? [newEdgeDetector] : []),
      ...(on('error_ratio') ? [errorRatioDetector] : []),
      ...(on('latency') ? [latencyDetector] : []),
      ...(on('upstream_failure') ? [upstreamFailureDetector] : []),
      ...(on('proxy_error') ? [proxyErrorDetector] : []),
    ];
    this.#window = new BucketWindow(config.bucket, config.allowed_lateness, config.max_gap, state?.next);
    this.#edges = new Lru(config.max_edges, state?.edges);
    this.#firstSeen = state?.firstSeen;
    this.#routes = new RouteHistory(config.max_keys, state?.routes);
    this.#proxy = new ProxySignatures(config.max_keys, state?.proxy);
    for (const [metric, entries] of state?.series ?? [])
      this.#stores.set(metric, new Lru(config.max_keys, entries));
    for (const [id, alarm] of state?.alarms ?? []) this.#alarms.set(id, alarm);
  }

  get lateRecords(): number {
    return this.#window.lateRecords;
  }

  /** Adds one batch's aggregates; returns the buckets that closed, judged. */
  add(batch: BatchAggregate): Judged[] {
    this.#window.add(batch);
    return this.#window.close().map((b) => this.#judge(b));
  }

  #store = (metric: string): Lru<Series> => {
    let s = this.#stores.get(metric);
    if (!s) {
      s = new Lru(this.#config.max_keys);
      this.#stores.set(metric, s);
    }
    return s;
  };

  #judge(b: BucketAggregate): Judged {
    this.#firstSeen ??= b.start;
    const c = this.#config;
    const ctx: DetectorContext = {
      config: c,
      store: this.#store,
      edges: this.#edges,
      firstSeen: this.#firstSeen,
      routes: this.#routes,
      proxy: this.#proxy,
    };
    const observations = this.#detectors.flatMap((d) => d(b, ctx));
    const at = b.start + c.bucket;
    const seen = new Set<string>();
    const events: AnomalyEvent[] = [];
    let hitters: HeavyHitters | undefined;
    const decide = (o: Observation) => {
      const id = alarmId(o);
      seen.add(id);
      const prev = this.#alarms.get(id);
      const fireAfter = o.kind === 'new_edge' || o.immediate ? 1 : c.fire_after;
      const t = step(this.#alarms, id, o.active, b.start, fireAfter, c.resolve_after);
      const alarm = this.#alarms.get(id) ?? prev;
      if (alarm && o.active) {
        alarm.last = { observed: o.observed, baseline: o.baseline, score: o.score };
        alarm.namespace ??= namespaceOf(b, o).namespace;
      }
      if (!t) return;
      hitters ??= heavyHitters(b, c.top_sources);
      const last = t === 'resolved' ? undefined : alarm?.last;
      events.push({
        ...o,
        ...(last ?? {}),
        state: t === 'fired' ? 'firing' : 'resolved',
        at,
        since: alarm?.since ?? b.start,
        topSources: topSourcesOf(b, o, hitters, c.top_sources),
        requestIds: (b.samples.get(`${o.kind}\0${o.key}`) ?? []).map(([, id]) => id),
        ...namespaceOf(b, o),
        ...(alarm?.namespace === undefined ? {} : { namespace: alarm.namespace }),
      });
    };
    for (const o of observations) decide(o);
    // Alarms whose key had nothing to say this bucket count as normal buckets.
    for (const id of [...this.#alarms.keys()]) {
      if (seen.has(id)) continue;
      const baseline = this.#alarms.get(id)?.last?.baseline ?? 0;
      decide({ ...parseAlarmId(id), active: false, observed: 0, baseline, score: 0 });
    }
    return { bucket: b, observations, events };
  }

  state(): EngineState {
    return {
      version: 1,
      next: this.#window.next,
      firstSeen: this.#firstSeen,
      edges: [...this.#edges.entries()],
      series: [...this.#stores].map(([metric, lru]) => [metric, [...lru.entries()]]),
      alarms: [...this.#alarms],
      routes: this.#routes.state(),
      proxy: this.#proxy.state(),
    };
  }
}

function heavyHitters(b: BucketAggregate, k: number): HeavyHitters {
  const h = new HeavyHitters(k);
  for (const [src, n] of b.sources) h.add(src, n);
  return h;
}

/** For a destination: its top callers (exact, from the edges); otherwise the bucket's heavy hitters. */
function topSourcesOf(b: BucketAggregate, o: Observation, h: HeavyHitters, k: number): string[] {
  if (o.scope === 'destination') {
    const suffix = EDGE + o.key;
    const callers: [string, number][] = [];
    for (const [edge, n] of b.pairs)
      if (edge.endsWith(suffix)) callers.push([edge.slice(0, -suffix.length), n]);
    if (callers.length > 0) {
      return callers
        .sort((x, y) => y[1] - x[1])
        .slice(0, k)
        .map(([s, n]) => `${s}=${n}`);
    }
  }
  return h.top(k).map((x) => `${x.key}=${x.count}`);
}

function namespaceOf(b: BucketAggregate, o: Observation): { namespace?: string } {
  const key =
    o.scope === 'edge'
      ? o.key.slice(o.key.indexOf(EDGE) + EDGE.length)
      : o.scope === 'workload'
        ? o.key.slice(0, o.key.lastIndexOf('#'))
        : o.key;
  const ns = b.namespaces.get(key);
  return ns === undefined ? {} : { namespace: ns };
}
