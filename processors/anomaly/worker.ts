// The worker part: one pass over a batch, counting access records into per-bucket aggregates on
// event time (the record's timeUnixNano), emitted once per batch for the main part to merge.
// A record is late when the newest record before it in the input is `allowed_lateness` past its
// bucket's end; the part of that rule inside one batch is applied here, the part across batches
// by the main part's watermark, so the result is the same however the input was cut into batches.
import type { Attributes, ResourceLogs } from '../../agent/kit/record/record.ts';
import type { ProcessLogs, ProcessorContext } from '../../agent/kit/worker/processor.ts';
import {
  addCount,
  addNamespace,
  addPod,
  addSample,
  type BatchAggregate,
  type BucketAggregate,
  EDGE,
  earlier,
  emptyBucket,
  hllFor,
  PROXY_KEY,
} from './aggregate.ts';
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
import { maskPath } from './path-mask.ts';
import { maskMessage } from './proxy-message.ts';
import { addRoute, newRouteSet } from './route-set.ts';

/** What the worker part reads of AnomalyConfig. */
export interface AnomalyWorkerConfig {
  bucket: number;
  allowed_lateness: number;
}

export function createProcessor(config: AnomalyWorkerConfig, context: ProcessorContext): ProcessLogs {
  const c = config;
  return (batch) => {
    const aggregate = aggregateBatch(batch, c.bucket, c.allowed_lateness);
    if (aggregate.buckets.length > 0 || aggregate.late > 0) context.emit(aggregate);
  };
}

function sample(b: BucketAggregate, kind: string, key: string, at: number, id: string | undefined): void {
  if (!id) return;
  const k = `${kind}\0${key}`;
  const list = b.samples.get(k);
  if (!list) b.samples.set(k, [[at, id]]);
  else addSample(list, [at, id]);
}

const WARN = 13;

/** The workload a file's proxy belongs to: k8s_metadata's service.name, else its pod. */
function workloadOf(resource: Attributes): string {
  return (
    str(resource['service.name']) ??
    str(resource['k8s.deployment.name']) ??
    str(resource['k8s.pod.name']) ??
    'unknown'
  );
}

function addProxyLine(
  b: BucketAggregate,
  workload: string,
  pod: string | undefined,
  at: number,
  message: string,
): void {
  const masked = maskMessage(message);
  const key = workload + PROXY_KEY + masked;
  const p = b.proxy.get(key);
  if (!p) {
    b.proxy.set(key, { count: 1, pods: pod ? [pod] : [], sample: [at, masked] });
    return;
  }
  p.count++;
  if (pod) addPod(p, pod);
  if (earlier([at, masked], p.sample)) p.sample = [at, masked];
}

export function aggregateBatch(batch: ResourceLogs, bucketMs: number, latenessMs = 0): BatchAggregate {
  const byStart = new Map<number, BucketAggregate>();
  let lastStart = Number.NaN;
  let b: BucketAggregate | undefined;
  let newest = Number.NEGATIVE_INFINITY;
  let late = 0;
  const workload = workloadOf(batch.resource);
  const pod = str(batch.resource['k8s.pod.name']);
  // Paths and edges repeat within a batch: each distinct one is masked and joined once.
  const routeOfPath = new Map<string, string>();
  for (const r of batch.records) {
    const a = r.attributes;
    const kind = a['meshtail.log.kind'];
    if (kind !== 'access' && !(kind === 'proxy' && r.severityNumber >= WARN)) {
      // Every parsed line moves event time on, so quiet buckets close when the proxies only chat.
      if (kind === 'proxy') {
        const t = Number(r.timeUnixNano / 1_000_000n);
        if (t > newest) newest = t;
      }
      continue;
    }
    // One bigint division per record: for t >= 0, floor(floor(t / 1e6) / B) = floor(t / (B·1e6)), so
    // the bucket start in ms follows from the ms timestamp. A batch is mostly one bucket, so the
    // bucket lookup is cached.
    const at = Number(r.timeUnixNano / 1_000_000n);
    const start = at - (at % bucketMs);
    if (start !== lastStart || !b) {
      if (start + bucketMs + latenessMs <= newest) {
        late++;
        continue;
      }
      b = byStart.get(start);
      if (!b) {
        b = emptyBucket(start);
        byStart.set(start, b);
      }
      lastStart = start;
    }
    if (at > newest) newest = at;
    b.records++;
    if (kind === 'proxy') {
      addProxyLine(b, workload, pod, at, str(a['meshtail.log.message']) ?? String(r.body ?? ''));
      const ns = str(batch.resource['k8s.namespace.name']);
      if (ns) addNamespace(b.namespaces, workload, ns);
      continue;
    }
    const src = sourceOf(a);
    const dst = destinationOf(a);
    const status = statusOf(a);
    const flags = flagsOf(a);
    const id = str(a['http.request.header.x-request-id']);
    const edge = src + EDGE + dst;
    addCount(b.requests, dst);
    addCount(b.pairs, edge);
    addCount(b.sources, src);
    const dstNs = str(a['mesh.destination.namespace']);
    if (dstNs) addNamespace(b.namespaces, dst, dstNs);
    const srcNs = str(a['mesh.source.namespace']);
    if (srcNs) addNamespace(b.namespaces, src, srcNs);
    const path = str(a['url.path']);
    if (path) {
      let route = routeOfPath.get(path);
      if (route === undefined) {
        route = maskPath(path);
        routeOfPath.set(path, route);
      }
      hllAdd(hllFor(b.paths, src), route);
      let routes = b.routes.get(edge);
      if (!routes) {
        routes = newRouteSet();
        b.routes.set(edge, routes);
      }
      addRoute(routes, route);
    }
    hllAdd(hllFor(b.destinations, src), dst);
    if (isDenied(a, status, flags)) {
      addCount(b.deniedByDestination, dst);
      addCount(b.deniedBySource, src);
      addCount(b.deniedPairs, edge);
      sample(b, 'access_denied', src, at, id);
      sample(b, 'access_denied', dst, at, id);
    }
    if (isNotFoundRoute(a, status, flags)) {
      addCount(b.notFound, src);
      sample(b, 'probing', src, at, id);
    }
    if (status >= 500) {
      addCount(b.errors, dst);
      sample(b, 'error_ratio', dst, at, id);
    }
    if (hasUpstreamFailure(flags)) {
      addCount(b.upstream, dst);
      sample(b, 'upstream_failure', dst, at, id);
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
  return { buckets: [...byStart.values()], newest, late };
}
