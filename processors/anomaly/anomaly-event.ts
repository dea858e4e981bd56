// An anomaly transition as the records the processor emits: a log record (event.name
// meshtail.anomaly.<kind>, WARN or ERROR, event time) and points of the meshtail.anomaly.score gauge.
import type { Attributes, LogRecord, Metric, NumberDataPoint } from '../../agent/kit/record/record.ts';
import { EDGE } from './aggregate.ts';
import type { AnomalyKind } from './config.ts';
import type { Observation } from './observation.ts';

export interface AnomalyEvent extends Observation {
  state: 'firing' | 'resolved';
  /** Event time (ms) of the transition: the end of the bucket that decided it. */
  at: number;
  /** Event time (ms) the anomaly started. */
  since: number;
  namespace?: string;
  topSources: string[];
  requestIds: string[];
}

const ERROR_KINDS = new Set<AnomalyKind>([
  'access_denied',
  'probing',
  'error_ratio',
  'upstream_failure',
  'proxy_error',
]);
const NS = 1_000_000n;

export function labelsOf(o: Pick<Observation, 'scope' | 'key'>): { service?: string; source?: string } {
  if (o.scope === 'destination') return { service: o.key };
  if (o.scope === 'source') return { source: o.key };
  if (o.scope === 'workload') return { service: o.key.slice(0, o.key.lastIndexOf('#')) };
  const i = o.key.indexOf(EDGE);
  return { source: o.key.slice(0, i), service: o.key.slice(i + EDGE.length) };
}

function round(n: number): number {
  return Number.isFinite(n) ? Math.round(n * 1000) / 1000 : 0;
}

export function toLogRecord(e: AnomalyEvent, observedMs: number): LogRecord {
  const error = ERROR_KINDS.has(e.kind);
  const name = `meshtail.anomaly.${e.kind}`;
  const { service, source } = labelsOf(e);
  const attributes: Attributes = {
    'event.name': name,
    'meshtail.anomaly.kind': e.kind,
    'meshtail.anomaly.state': e.state,
    'meshtail.anomaly.scope': e.scope,
    'meshtail.anomaly.key': e.key,
    'meshtail.anomaly.observed': round(e.observed),
    'meshtail.anomaly.baseline': round(e.baseline),
    'meshtail.anomaly.score': round(e.score),
    'meshtail.anomaly.start_time_unix_nano': BigInt(e.since) * NS,
    'meshtail.anomaly.top_sources': e.topSources,
    'meshtail.anomaly.request_ids': e.requestIds,
  };
  if (service !== undefined) attributes['mesh.destination.service'] = service;
  if (source !== undefined) attributes['mesh.source.workload'] = source;
  if (e.namespace !== undefined) attributes['k8s.namespace.name'] = e.namespace;
  if (e.evidence) {
    attributes['meshtail.anomaly.template'] = e.evidence.template;
    attributes['meshtail.anomaly.pods'] = e.evidence.pods;
    attributes['meshtail.anomaly.sample'] = e.evidence.sample;
  }
  const what = e.evidence ? ` (${e.evidence.template})` : '';
  const body =
    e.state === 'firing'
      ? `${e.kind} on ${e.scope} ${e.key}${what}: observed ${round(e.observed)}, baseline ${round(e.baseline)}, score ${round(e.score)}`
      : `${e.kind} on ${e.scope} ${e.key} resolved`;
  return {
    timeUnixNano: BigInt(e.at) * NS,
    observedTimeUnixNano: BigInt(observedMs) * NS,
    severityNumber: error ? 17 : 13,
    severityText: error ? 'ERROR' : 'WARN',
    body,
    attributes,
    eventName: name,
  };
}

/**
 * Gauge points for the observations that say something: active ones and those at least half way to
 * the threshold, the `maxPoints` highest scores first. A quiet bucket writes nothing, a noisy one
 * at most `maxPoints`, so the volume follows the anomalies, not the traffic.
 */
export function scoreMetric(
  observations: readonly Observation[],
  startMs: number,
  atMs: number,
  threshold: number,
  maxPoints: number,
): Metric {
  const telling = observations.filter((o) => o.active || o.score >= threshold / 2);
  telling.sort((x, y) => Number(y.active) - Number(x.active) || y.score - x.score);
  const points: NumberDataPoint[] = [];
  for (const o of telling.slice(0, maxPoints)) {
    points.push({
      attributes: {
        'meshtail.anomaly.kind': o.kind,
        'meshtail.anomaly.scope': o.scope,
        'meshtail.anomaly.key': o.key,
      },
      startTimeUnixNano: BigInt(startMs) * NS,
      timeUnixNano: BigInt(atMs) * NS,
      value: round(o.score),
    });
  }
  return {
    name: 'meshtail.anomaly.score',
    description:
      'Robust score of the judged series that said something in the last closed bucket (active, or at least half the threshold).',
    unit: '1',
    type: 'gauge',
    points,
  };
}
