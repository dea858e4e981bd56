// What the worker part emits per batch and the main part merges per bucket: counts keyed by
// destination service, source identity or "source→destination", plus mergeable sketches. Plain
// Maps and Uint8Arrays only, so it crosses threads by structured clone. Every merge is commutative
// (sums, register maxima, the earliest samples, the least namespace), so the merged bucket does not
// depend on how records were cut into batches or in which order the workers returned them.
import { hllCreate, hllMerge } from './hyperloglog.ts';
import { histogramMerge, type LogHistogram } from './log-histogram.ts';
import { mergeRoutes, type RouteSet, trim } from './route-set.ts';

export const EDGE = '→';

export interface BucketAggregate {
  /** Bucket start, ms since the epoch, in event time. */
  start: number;
  records: number;
  /** Requests per destination service. */
  requests: Map<string, number>;
  /** Requests per "source→destination" (also the call-graph edges seen). */
  pairs: Map<string, number>;
  /** Requests per source identity (heavy hitters are ranked from this). */
  sources: Map<string, number>;
  deniedByDestination: Map<string, number>;
  deniedBySource: Map<string, number>;
  /** Denied requests per "source→destination": tells whether a few sources explain a destination's denials. */
  deniedPairs: Map<string, number>;
  /** 5xx responses per destination. */
  errors: Map<string, number>;
  durations: Map<string, LogHistogram>;
  /** Upstream failure flags (UH, UF, URX, UO) per destination. */
  upstream: Map<string, number>;
  /** 404 NR route_not_found per source. */
  notFound: Map<string, number>;
  /** HyperLogLog of masked url.path per source. */
  paths: Map<string, Uint8Array>;
  /** Masked url.path values per "source→destination" (bounded, see route-set.ts). */
  routes: Map<string, RouteSet>;
  /** HyperLogLog of destinations per source. */
  destinations: Map<string, Uint8Array>;
  /** The earliest few [event time ms, x-request-id] per "kind\0key", as evidence. */
  samples: Map<string, Sample[]>;
  /** Proxy messages at WARN and above per "workload\u0001masked message". */
  proxy: Map<string, ProxySignal>;
  /** The namespace of a source or destination key, when the records name it. */
  namespaces: Map<string, string>;
}

export type Sample = [time: number, id: string];

/** One masked proxy message of one workload in one bucket. */
export interface ProxySignal {
  count: number;
  /** The least few pod names that logged it. */
  pods: string[];
  /** The earliest [event time ms, masked message]. */
  sample: Sample;
}

export const MAX_PODS = 3;
/** Separates the workload from the masked message in a proxy key. */
export const PROXY_KEY = '\u0001';
/** Masked messages kept per bucket (the least by key): a flood of distinct ones cannot grow memory. */
export const MAX_PROXY_SIGNALS = 512;

/** One batch's aggregates: its buckets, the newest event time in it, and the records it found late. */
export interface BatchAggregate {
  buckets: BucketAggregate[];
  /** The newest event time (ms) of the batch: moves the main part's watermark. */
  newest: number;
  /** Records already behind the allowed lateness within the batch itself. */
  late: number;
}

export const MAX_SAMPLES = 3;

const bySample = (x: Sample, y: Sample) => x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0);

/** Keeps the MAX_SAMPLES earliest samples (event time, then id): the same set in any merge order. */
export function addSample(list: Sample[], s: Sample): void {
  if (list.length === MAX_SAMPLES && bySample(s, list[MAX_SAMPLES - 1] as Sample) >= 0) return;
  for (const x of list) if (x[0] === s[0] && x[1] === s[1]) return;
  list.push(s);
  list.sort(bySample);
  if (list.length > MAX_SAMPLES) list.length = MAX_SAMPLES;
}

/** The namespace of a key: the least name seen, whatever order the records came in. */
export function addNamespace(m: Map<string, string>, key: string, ns: string): void {
  const mine = m.get(key);
  if (mine === undefined || ns < mine) m.set(key, ns);
}

export function emptyBucket(start: number): BucketAggregate {
  return {
    start,
    records: 0,
    requests: new Map(),
    pairs: new Map(),
    sources: new Map(),
    deniedByDestination: new Map(),
    deniedBySource: new Map(),
    deniedPairs: new Map(),
    errors: new Map(),
    durations: new Map(),
    upstream: new Map(),
    notFound: new Map(),
    paths: new Map(),
    routes: new Map(),
    destinations: new Map(),
    samples: new Map(),
    proxy: new Map(),
    namespaces: new Map(),
  };
}

export function addCount(m: Map<string, number>, key: string, n = 1): void {
  m.set(key, (m.get(key) ?? 0) + n);
}

export function hllFor(m: Map<string, Uint8Array>, key: string): Uint8Array {
  let h = m.get(key);
  if (!h) {
    h = hllCreate();
    m.set(key, h);
  }
  return h;
}

const COUNTS = [
  'requests',
  'pairs',
  'sources',
  'deniedByDestination',
  'deniedBySource',
  'deniedPairs',
  'errors',
  'upstream',
  'notFound',
] as const;

/** Adds `from` (same start) into `into`. */
export function mergeBucket(into: BucketAggregate, from: BucketAggregate): void {
  into.records += from.records;
  for (const name of COUNTS) for (const [k, n] of from[name]) addCount(into[name], k, n);
  for (const [k, h] of from.durations) {
    const mine = into.durations.get(k);
    if (mine) histogramMerge(mine, h);
    else into.durations.set(k, new Map(h));
  }
  for (const [k, h] of from.paths) hllMerge(hllFor(into.paths, k), h);
  for (const [k, r] of from.routes) {
    const mine = into.routes.get(k);
    if (mine) mergeRoutes(mine, r);
    else into.routes.set(k, r);
  }
  for (const [k, h] of from.destinations) hllMerge(hllFor(into.destinations, k), h);
  for (const [k, list] of from.samples) {
    const mine = into.samples.get(k);
    if (!mine) into.samples.set(k, [...list]);
    else for (const s of list) addSample(mine, s);
  }
  for (const [k, ns] of from.namespaces) addNamespace(into.namespaces, k, ns);
  for (const [k, p] of from.proxy) {
    const mine = into.proxy.get(k);
    if (!mine) into.proxy.set(k, p);
    else {
      mine.count += p.count;
      for (const pod of p.pods) addPod(mine, pod);
      if (bySample(p.sample, mine.sample) < 0) mine.sample = p.sample;
    }
  }
  if (into.proxy.size > 2 * MAX_PROXY_SIGNALS) trimProxy(into);
}

export function addPod(p: ProxySignal, pod: string): void {
  if (p.pods.includes(pod)) return;
  p.pods.push(pod);
  p.pods.sort();
  if (p.pods.length > MAX_PODS) p.pods.length = MAX_PODS;
}

export function earlier(x: Sample, y: Sample): boolean {
  return bySample(x, y) < 0;
}

/** Keeps the MAX_PROXY_SIGNALS least keys: the same set whatever order buckets merged in. */
function trimProxy(b: BucketAggregate): void {
  if (b.proxy.size <= MAX_PROXY_SIGNALS) return;
  const keep = [...b.proxy.keys()].sort().slice(0, MAX_PROXY_SIGNALS);
  const kept = new Map<string, ProxySignal>();
  for (const k of keep) kept.set(k, b.proxy.get(k) as ProxySignal);
  b.proxy = kept;
}

const sorted = <V>(m: Map<string, V>): Map<string, V> =>
  new Map([...m].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)));

/**
 * The bucket with every map in key order. Detectors iterate maps, and the order of their keys
 * (which LRU entry is oldest, which event comes first) must not depend on which batch named a key first.
 */
export function canonicalBucket(b: BucketAggregate): BucketAggregate {
  const out = { ...b };
  for (const name of COUNTS) out[name] = sorted(b[name]);
  out.durations = sorted(b.durations);
  out.paths = sorted(b.paths);
  out.routes = new Map();
  for (const [k, r] of sorted(b.routes)) {
    const copy = { routes: new Set(r.routes), overflowed: r.overflowed };
    trim(copy);
    out.routes.set(k, copy);
  }
  out.destinations = sorted(b.destinations);
  out.samples = sorted(b.samples);
  out.namespaces = sorted(b.namespaces);
  out.proxy = sorted(b.proxy);
  trimProxy(out);
  return out;
}
