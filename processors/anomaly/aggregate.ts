// What the worker part emits per batch and the main part merges per bucket: counts keyed by
// destination service, source identity or "source→destination", plus mergeable sketches. Plain
// Maps and Uint8Arrays only, so it crosses threads by structured clone. Every merge is commutative
// (sums, register maxima, the earliest samples, the least namespace), so the merged bucket does not
// depend on how records were cut into batches or in which order the workers returned them.
import { hllCreate, hllMerge } from './hyperloglog.ts';
import { histogramMerge, type LogHistogram } from './log-histogram.ts';

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
  /** HyperLogLog of url.path per source. */
  paths: Map<string, Uint8Array>;
  /** HyperLogLog of destinations per source. */
  destinations: Map<string, Uint8Array>;
  /** The earliest few [event time ms, x-request-id] per "kind\0key", as evidence. */
  samples: Map<string, Sample[]>;
  /** The namespace of a source or destination key, when the records name it. */
  namespaces: Map<string, string>;
}

export type Sample = [time: number, id: string];

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
    destinations: new Map(),
    samples: new Map(),
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
  for (const [k, h] of from.destinations) hllMerge(hllFor(into.destinations, k), h);
  for (const [k, list] of from.samples) {
    const mine = into.samples.get(k);
    if (!mine) into.samples.set(k, [...list]);
    else for (const s of list) addSample(mine, s);
  }
  for (const [k, ns] of from.namespaces) addNamespace(into.namespaces, k, ns);
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
  out.destinations = sorted(b.destinations);
  out.samples = sorted(b.samples);
  out.namespaces = sorted(b.namespaces);
  return out;
}
