// Role views: roles that may read only aggregates of a rule's records get, per batch, one log record
// per (their tenant, source, destination) with the request count, errors, error ratio and a latency
// histogram. Nothing per request (path, user, body, addresses) reaches them.
import type { Attributes, LogRecord } from '../../agent/kit/record/record.ts';
import type { AggregateView } from './rule-set.ts';

export const AGGREGATE_EVENT = 'meshtail.aggregate';
/** Counts per service pair, no per-request detail: internal whatever the rule said of the records. */
export const AGGREGATE_CLASSIFICATION = 'internal';
/** envoy.duration_ms bucket upper bounds (ms), Prometheus' default buckets scaled to milliseconds. */
export const DURATION_BOUNDS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

interface Group {
  view: AggregateView;
  source: string;
  destination: string;
  count: number;
  errors: number;
  sum: number;
  buckets: number[];
  time: bigint;
  observed: bigint;
}

/** Accumulates one batch; `records()` turns the groups into aggregate records. */
export class RoleView {
  readonly #groups = new Map<string, Group>();
  #last: Group | undefined;

  add(view: AggregateView, r: LogRecord): void {
    const a = r.attributes;
    const source = str(a['mesh.source.workload']) ?? str(a['mesh.source.principal']) ?? 'unknown';
    const destination =
      str(a['mesh.destination.service']) ?? str(a['mesh.destination.workload']) ?? 'unknown';
    // Consecutive records of a pod's file mostly share their pair: skip the key and the lookup.
    const last = this.#last;
    let g =
      last && last.view === view && last.source === source && last.destination === destination
        ? last
        : this.#groups.get(`${view.tenant}\u0000${source}\u0000${destination}`);
    if (!g) {
      const key = `${view.tenant}\u0000${source}\u0000${destination}`;
      const buckets = new Array<number>(DURATION_BOUNDS.length + 1).fill(0);
      g = { view, source, destination, count: 0, errors: 0, sum: 0, buckets, time: 0n, observed: 0n };
      this.#groups.set(key, g);
    }
    this.#last = g;
    g.count++;
    const status = a['http.response.status_code'];
    if (typeof status === 'number' && status >= 500) g.errors++;
    const ms = a['envoy.duration_ms'];
    if (typeof ms === 'number') {
      let i = 0;
      while (i < DURATION_BOUNDS.length && ms > DURATION_BOUNDS[i]!) i++;
      g.buckets[i]!++;
      g.sum += ms;
    }
    if (r.timeUnixNano > g.time) g.time = r.timeUnixNano;
    if (r.observedTimeUnixNano > g.observed) g.observed = r.observedTimeUnixNano;
  }

  get size(): number {
    return this.#groups.size;
  }

  records(): LogRecord[] {
    return [...this.#groups.values()].map((g) => {
      const attributes: Attributes = {
        'event.name': AGGREGATE_EVENT,
        'meshtail.tenant': g.view.tenant,
        'data.classification': AGGREGATE_CLASSIFICATION,
        'meshtail.audience': g.view.audience,
        'mesh.source.workload': g.source,
        'mesh.destination.service': g.destination,
        'meshtail.aggregate.count': g.count,
        'meshtail.aggregate.errors': g.errors,
        'meshtail.aggregate.error_ratio': g.errors / g.count,
        'meshtail.aggregate.duration_ms.bounds': DURATION_BOUNDS,
        'meshtail.aggregate.duration_ms.counts': g.buckets,
        'meshtail.aggregate.duration_ms.sum': g.sum,
      };
      return {
        timeUnixNano: g.time,
        observedTimeUnixNano: g.observed,
        severityNumber: 9,
        severityText: 'INFO',
        body: `${g.count} requests ${g.source} -> ${g.destination}, ${g.errors} errors`,
        attributes,
        eventName: AGGREGATE_EVENT,
      };
    });
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
