// A seeded generator of mesh access records as mesh_parse writes them (docs/attributes.md): a
// fixed call graph with a daily shape and noise, plus labelled injected anomalies. Records come
// per minute of event time, ready for the anomaly worker part.
import type { Attributes, LogRecord, ResourceLogs } from '../../agent/kit/record/record.ts';

export type InjectedKind =
  | 'burst'
  | 'drop'
  | 'access_denied'
  | 'probing'
  | 'new_edge'
  | 'latency'
  | 'error_storm';

export interface Injection {
  kind: InjectedKind;
  /** Detector kinds that should see it (recall). */
  detects: string[];
  /**
   * Other detector kinds that may rightly fire on it (precision): a 403 storm or a scan comes from a
   * source never seen before, so its edges are also new edges. See ACCEPTS.
   */
  accepts?: string[];
  /** Keys (sources, destinations, "src→dst") a matching anomaly may name. */
  keys: string[];
  start: number;
  end: number;
}

export interface TrafficOptions {
  seed: number;
  start: number;
  minutes: number;
  /** Mean requests per edge per minute at the daily peak. */
  rate: number;
  injections: Injection[];
}

const MIN = 60_000;
const SOURCES = ['frontend', 'productpage', 'checkout', 'cart', 'search', 'orders', 'api-gw', 'batch'];
const DESTS = [
  'reviews',
  'ratings',
  'details',
  'payments',
  'inventory',
  'users',
  'catalog',
  'shipping',
  'auth',
  'pricing',
];

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The normal call graph: each source calls three destinations. */
export function edges(): [string, string][] {
  const out: [string, string][] = [];
  SOURCES.forEach((s, i) => {
    for (let j = 0; j < 3; j++) out.push([s, DESTS[(i * 3 + j) % DESTS.length] as string]);
  });
  return out;
}

function poisson(rand: () => number, lambda: number): number {
  if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gauss(rand)));
  let k = 0;
  let p = Math.exp(-lambda);
  let s = p;
  const u = rand();
  while (u > s && k < 1000) {
    k++;
    p *= lambda / k;
    s += p;
  }
  return k;
}

function gauss(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
}

/** 0.25 at 04:00 UTC, 1 at 16:00. */
function dailyShape(ms: number): number {
  const h = (ms / 3_600_000) % 24;
  return 0.25 + (0.75 * (1 - Math.cos((2 * Math.PI * (h - 4)) / 24))) / 2;
}

export interface RecordSpec {
  src: string;
  dst: string;
  status: number;
  duration: number;
  path: string;
  flags?: string[];
  cause?: string;
}

export function accessRecord(ms: number, spec: RecordSpec, id: string): LogRecord {
  const ns = BigInt(ms) * 1_000_000n;
  const attributes: Attributes = {
    'meshtail.log.kind': 'access',
    'mesh.source.workload': spec.src,
    'mesh.source.namespace': 'shop',
    'mesh.destination.service': spec.dst,
    'mesh.destination.namespace': 'shop',
    'http.request.method': 'GET',
    'url.path': spec.path,
    'http.response.status_code': spec.status,
    'envoy.duration_ms': spec.duration,
    'http.request.header.x-request-id': id,
  };
  if (spec.flags) attributes['envoy.response_flags'] = spec.flags;
  if (spec.cause) attributes['meshtail.denial.cause'] = spec.cause;
  return {
    timeUnixNano: ns,
    observedTimeUnixNano: ns,
    severityNumber: 9,
    severityText: 'INFO',
    body: '',
    attributes,
  };
}

const active = (inj: Injection, ms: number) => ms >= inj.start && ms < inj.end;

/** One ResourceLogs per minute of event time. */
export function* traffic(o: TrafficOptions): Generator<ResourceLogs> {
  const rand = mulberry32(o.seed);
  const graph = edges();
  const base = new Map(graph.map(([s, d]) => [`${s}→${d}`, o.rate * (0.5 + rand())]));
  let n = 0;
  for (let m = 0; m < o.minutes; m++) {
    const t0 = o.start + m * MIN;
    const records: LogRecord[] = [];
    const shape = dailyShape(t0) * Math.exp(0.1 * gauss(rand));
    const add = (spec: RecordSpec) =>
      records.push(accessRecord(t0 + Math.floor(rand() * MIN), spec, `req-${n++}`));
    const now = o.injections.filter((i) => active(i, t0));
    for (const [src, dst] of graph) {
      let lambda = (base.get(`${src}→${dst}`) ?? 0) * shape;
      let durationScale = 1;
      let errorP = 0.002;
      let upstream = false;
      for (const i of now) {
        if (i.kind === 'burst' && i.keys.includes(`${src}→${dst}`)) lambda *= 5;
        if (i.kind === 'drop' && i.keys.includes(dst)) lambda *= 0.05;
        if (i.kind === 'latency' && i.keys.includes(dst)) durationScale = 5;
        if (i.kind === 'error_storm' && i.keys.includes(dst)) {
          errorP = 0.3;
          upstream = true;
        }
      }
      const count = poisson(rand, lambda);
      for (let k = 0; k < count; k++) {
        const err = rand() < errorP;
        const flags = err && upstream ? [rand() < 0.5 ? 'UF' : 'URX'] : undefined;
        add({
          src,
          dst,
          status: err ? 503 : 200,
          duration: 20 * durationScale * Math.exp(0.4 * gauss(rand)),
          path: `/api/${dst}/${Math.floor(rand() * 8)}`,
          ...(flags ? { flags } : {}),
        });
      }
    }
    for (const i of now) {
      if (i.kind === 'access_denied') {
        const [src = '', dst = ''] = i.keys;
        for (let k = 0; k < 150; k++)
          add({ src, dst, status: 403, duration: 1, path: `/api/${dst}/admin`, cause: 'rbac' });
      } else if (i.kind === 'probing') {
        const [src = ''] = i.keys;
        for (let k = 0; k < 120; k++) {
          const dst = DESTS[k % DESTS.length] as string;
          add({
            src,
            dst,
            status: 404,
            duration: 1,
            path: `/probe/${Math.floor(rand() * 1e6)}`,
            flags: ['NR'],
            cause: 'route_not_found',
          });
        }
      } else if (i.kind === 'new_edge') {
        const [edge = ''] = i.keys;
        const [src = '', dst = ''] = edge.split('→');
        for (let k = 0; k < 10; k++) add({ src, dst, status: 200, duration: 20, path: `/api/${dst}/0` });
      }
    }
    records.sort((a, b) => (a.timeUnixNano < b.timeUnixNano ? -1 : 1));
    yield { resource: { 'k8s.node.name': 'node-1' }, scope: { name: 'synthetic' }, records };
  }
}

/** What else an injection may rightly fire, besides what it `detects` (docs/anomaly.md). */
export const ACCEPTS: Record<InjectedKind, string[]> = {
  burst: [],
  drop: [],
  access_denied: ['new_edge'], // the intruder is a new source: intruder→dst is a new edge
  probing: ['new_edge'], // the scanner is a new source: each scanner→dst is a new edge
  new_edge: [],
  latency: [],
  error_storm: [],
};

export interface ScheduleOptions {
  seed: number;
  start: number;
  minutes: number;
  /** Minutes before the first injection (baselines and the edge learning period fill). */
  warmup: number;
  /** Minutes from one injection's start to the next. */
  every: number;
  /** Minutes an injection lasts. */
  length: number;
  /** Every `quietEvery`-th hour (hours q-1, 2q-1, ...) has no injection, nor the tail of one. */
  quietEvery: number;
  /** Minutes after an injection ends that its anomalies may still resolve in (kept out of quiet hours). */
  tail: number;
}

/** A labelled schedule: one injection of each kind in turn, every `every` minutes, around quiet hours. */
export function schedule(o: ScheduleOptions): Injection[] {
  const rand = mulberry32(o.seed ^ 0x5eed);
  const graph = edges();
  const out: Injection[] = [];
  const kinds: InjectedKind[] = [
    'burst',
    'drop',
    'access_denied',
    'probing',
    'new_edge',
    'latency',
    'error_storm',
  ];
  const quiet = (h: number) => o.quietEvery > 0 && h % o.quietEvery === o.quietEvery - 1;
  const usedEdges = new Set<string>();
  let k = 0;
  for (let m = o.warmup; m + o.length + o.tail < o.minutes; m += o.every) {
    const firstHour = Math.floor((m - 1) / 60);
    const lastHour = Math.floor((m + o.length + o.tail) / 60);
    let clash = false;
    for (let h = firstHour; h <= lastHour; h++) clash ||= quiet(h);
    if (clash) continue;
    const kind = kinds[k++ % kinds.length] as InjectedKind;
    const [src, dst] = graph[Math.floor(rand() * graph.length)] as [string, string];
    const s = o.start + m * MIN;
    const e = s + o.length * MIN;
    const edge = `${src}→${dst}`;
    const accepts = ACCEPTS[kind];
    switch (kind) {
      case 'burst':
        out.push({ kind, detects: ['burst'], accepts, keys: [edge, src, dst], start: s, end: e });
        break;
      case 'drop':
        out.push({
          kind,
          detects: ['drop'],
          accepts,
          keys: [dst, ...graph.filter(([, d]) => d === dst).map(([a, d]) => `${a}→${d}`)],
          start: s,
          end: e,
        });
        break;
      case 'access_denied': {
        const intruder = `intruder-${k}`;
        out.push({
          kind,
          detects: ['access_denied'],
          accepts,
          keys: [intruder, dst, `${intruder}→${dst}`],
          start: s,
          end: e,
        });
        break;
      }
      case 'probing': {
        const scanner = `10.9.0.${k}`;
        out.push({
          kind,
          detects: ['probing'],
          accepts,
          keys: [scanner, ...DESTS.map((d) => `${scanner}→${d}`)],
          start: s,
          end: e,
        });
        break;
      }
      case 'new_edge': {
        // A new edge is new once: an edge injected earlier in the day is known (edge_ttl), so each
        // injection takes a caller→callee pair that neither the graph nor an earlier injection used.
        const sources = [src, ...SOURCES.filter((x) => x !== src)];
        let pick: string | undefined;
        for (const a of sources) {
          const d = DESTS.find(
            (x) => !graph.some(([p, q]) => p === a && q === x) && !usedEdges.has(`${a}→${x}`),
          );
          if (d) {
            pick = `${a}→${d}`;
            break;
          }
        }
        if (!pick) break;
        usedEdges.add(pick);
        const [a = '', d = ''] = pick.split('→');
        out.push({ kind, detects: ['new_edge'], accepts, keys: [pick, a, d], start: s, end: e });
        break;
      }
      case 'latency':
        out.push({ kind, detects: ['latency'], accepts, keys: [dst], start: s, end: e });
        break;
      case 'error_storm':
        out.push({
          kind,
          detects: ['error_ratio', 'upstream_failure'],
          accepts,
          keys: [dst],
          start: s,
          end: e,
        });
        break;
    }
  }
  return out;
}
