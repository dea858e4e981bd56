// What the worker part emits per batch and the main part merges per bucket: counts keyed by
// destination service, source identity or "source→destination", plus mergeable sketches. Plain
// Maps and Uint8Arrays only, so it crosses threads by structured clone.
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
  /** A few x-request-ids per "kind\0key", as evidence. */
  samples: Map<string, string[]>;
  /** The namespace of a source or destination key, when the records name it. */
  namespaces: Map<string, string>;
}

export const MAX_SAMPLES = 3;

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
  for (const [k, ids] of from.samples) {
    const mine = into.samples.get(k) ?? [];
    for (const id of ids) if (mine.length < MAX_SAMPLES) mine.push(id);
    into.samples.set(k, mine);
  }
  for (const [k, ns] of from.namespaces) if (!into.namespaces.has(k)) into.namespaces.set(k, ns);
}
