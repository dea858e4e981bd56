// The worker part: one pass over a batch, counting access records into per-bucket aggregates on
// event time (the record's timeUnixNano), emitted once per batch for the main part to merge.
import type { ResourceLogs } from '../../agent/kit/record/record.ts';
import type { ProcessLogs, ProcessorContext } from '../../agent/kit/worker/processor.ts';
import { addCount, type BucketAggregate, EDGE, emptyBucket, hllFor, MAX_SAMPLES } from './aggregate.ts';
import {
  destinationOf,
  flagsOf,
  hasUpstreamFailure,
  isDenied,
  isNotFoundRoute,
  sourceOf,
  statusOf,
  str,
} from './classify.ts';
import { hllAdd } from './hyperloglog.ts';
import { histogramAdd } from './log-histogram.ts';

/** What the worker part reads of AnomalyConfig. */
export interface AnomalyWorkerConfig {
  bucket: number;
}

export function createProcessor(config: AnomalyWorkerConfig, context: ProcessorContext): ProcessLogs {
  const bucketMs = config.bucket;
  return (batch) => {
    const buckets = aggregateBatch(batch, bucketMs);
    if (buckets.length > 0) context.emit({ buckets });
  };
}

function sample(b: BucketAggregate, kind: string, key: string, id: string | undefined): void {
  if (!id) return;
  const k = `${kind}\0${key}`;
  const list = b.samples.get(k);
  if (!list) b.samples.set(k, [id]);
  else if (list.length < MAX_SAMPLES) list.push(id);
}

export function aggregateBatch(batch: ResourceLogs, bucketMs: number): BucketAggregate[] {
  const byStart = new Map<number, BucketAggregate>();
  const bucketNs = BigInt(bucketMs) * 1_000_000n;
  let lastStartNs = -1n;
  let b: BucketAggregate | undefined;
  for (const r of batch.records) {
    const a = r.attributes;
    if (a['meshtail.log.kind'] !== 'access') continue;
    // One bigint division per record; a batch is mostly one bucket, so the bucket lookup is cached.
    const startNs = r.timeUnixNano - (r.timeUnixNano % bucketNs);
    if (startNs !== lastStartNs || !b) {
      const start = Number(startNs / 1_000_000n);
      b = byStart.get(start);
      if (!b) {
        b = emptyBucket(start);
        byStart.set(start, b);
      }
      lastStartNs = startNs;
    }
    b.records++;
    const src = sourceOf(a);
    const dst = destinationOf(a);
    const status = statusOf(a);
    const flags = flagsOf(a);
    const id = str(a['http.request.header.x-request-id']);
    addCount(b.requests, dst);
    addCount(b.pairs, src + EDGE + dst);
    addCount(b.sources, src);
    if (!b.namespaces.has(dst)) {
      const ns = str(a['mesh.destination.namespace']);
      if (ns) b.namespaces.set(dst, ns);
    }
    if (!b.namespaces.has(src)) {
      const ns = str(a['mesh.source.namespace']);
      if (ns) b.namespaces.set(src, ns);
    }
    const path = str(a['url.path']);
    if (path) hllAdd(hllFor(b.paths, src), path);
    hllAdd(hllFor(b.destinations, src), dst);
    if (isDenied(a, status, flags)) {
      addCount(b.deniedByDestination, dst);
      addCount(b.deniedBySource, src);
      addCount(b.deniedPairs, src + EDGE + dst);
      sample(b, 'access_denied', src, id);
      sample(b, 'access_denied', dst, id);
    }
    if (isNotFoundRoute(a, status, flags)) {
      addCount(b.notFound, src);
      sample(b, 'probing', src, id);
    }
    if (status >= 500) {
      addCount(b.errors, dst);
      sample(b, 'error_ratio', dst, id);
    }
    if (hasUpstreamFailure(flags)) {
      addCount(b.upstream, dst);
      sample(b, 'upstream_failure', dst, id);
    }
    const d = a['envoy.duration_ms'];
    if (typeof d === 'number') {
      let h = b.durations.get(dst);
      if (!h) {
        h = new Map();
        b.durations.set(dst, h);
      }
      histogramAdd(h, d);
    }
  }
  return [...byStart.values()];
}
