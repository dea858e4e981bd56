// A seeded generator of mesh access records as mesh_parse writes them (docs/attributes.md): a
// fixed call graph with a daily shape and noise, plus labelled injected anomalies. Records come
// per minute of event time, ready for the anomaly worker part.
import type { Attributes, LogRecord, ResourceLogs } from '../../agent/pipeline/record.ts';

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
  /** Detector kinds that should see it. */
  detects: string[];
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

/** A labelled schedule: one injection of each kind every `every` minutes after `warmup` minutes. */
export function schedule(
  seed: number,
  start: number,
  minutes: number,
  warmup: number,
  every: number,
  length: number,
): Injection[] {
  const rand = mulberry32(seed ^ 0x5eed);
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
  let k = 0;
  for (let m = warmup; m + length + 10 < minutes; m += every) {
    const kind = kinds[k++ % kinds.length] as InjectedKind;
    const [src, dst] = graph[Math.floor(rand() * graph.length)] as [string, string];
    const s = start + m * MIN;
    const e = s + length * MIN;
    const edge = `${src}→${dst}`;
    switch (kind) {
      case 'burst':
        out.push({ kind, detects: ['burst'], keys: [edge, src, dst], start: s, end: e });
        break;
      case 'drop':
        out.push({
          kind,
          detects: ['drop'],
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
          keys: [scanner, ...DESTS.map((d) => `${scanner}→${d}`)],
          start: s,
          end: e,
        });
        break;
      }
      case 'new_edge': {
        const target = DESTS.find((d) => !graph.some(([a, b]) => a === src && b === d)) as string;
        out.push({ kind, detects: ['new_edge'], keys: [`${src}→${target}`, src, target], start: s, end: e });
        break;
      }
      case 'latency':
        out.push({ kind, detects: ['latency'], keys: [dst], start: s, end: e });
        break;
      case 'error_storm':
        out.push({ kind, detects: ['error_ratio', 'upstream_failure'], keys: [dst], start: s, end: e });
        break;
    }
  }
  return out;
}
