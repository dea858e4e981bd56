// detailed verbosity: every field, in the layout of the Collector's debug exporter
// (ResourceLog #0 / Resource attributes: / -> key: Str(value) / LogRecord #0 / ...).
import type { Signal } from '../../agent/kit/record/signal.ts';
import { dataPoints, type Point } from './metric-points.ts';
import { type AnyValue, type Item, type KeyValue, list, SHAPE, timestamp, typed, walk } from './otlp-json.ts';

const SPAN_KINDS = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'];
const STATUS_CODES = ['Unset', 'Ok', 'Error'];
const TEMPORALITY = ['Unspecified', 'Delta', 'Cumulative'];

export function detailedLines(signal: Signal, request: Record<string, unknown>): string {
  const [resourceName, scopeName, itemName] = SHAPE[signal].names;
  const out: string[] = [];
  walk(signal, request, {
    resource: (r, i) => {
      out.push(
        `${resourceName} #${i}`,
        `Resource SchemaURL: ${r.schemaUrl}`,
        ...attributeBlock('Resource attributes', r.attributes),
      );
    },
    scope: (s, i) => {
      out.push(
        `${scopeName} #${i}`,
        `${scopeName} SchemaURL: ${s.schemaUrl}`,
        `InstrumentationScope ${s.name} ${s.version}`,
      );
    },
    item: (item, i) => {
      out.push(`${itemName} #${i}`);
      if (signal === 'logs') out.push(...logRecord(item));
      else if (signal === 'traces') out.push(...span(item));
      else out.push(...metric(item));
    },
  });
  return out.length ? `${out.join('\n')}\n` : '';
}

function attributeBlock(title: string, attrs: KeyValue[] | undefined): string[] {
  const kvs = list<KeyValue>(attrs);
  return kvs.length ? [`${title}:`, ...kvs.map((kv) => `     -> ${kv.key}: ${typed(kv.value)}`)] : [];
}

function logRecord(r: Item): string[] {
  return [
    `ObservedTimestamp: ${timestamp(r.observedTimeUnixNano)}`,
    `Timestamp: ${timestamp(r.timeUnixNano)}`,
    `SeverityText: ${r.severityText ?? ''}`,
    `SeverityNumber: ${r.severityNumber ?? 0}`,
    `Body: ${typed(r.body as AnyValue | undefined)}`,
    ...attributeBlock('Attributes', r.attributes),
    `Trace ID: ${r.traceId ?? ''}`,
    `Span ID: ${r.spanId ?? ''}`,
    `Flags: ${r.flags ?? 0}`,
  ];
}

function span(s: Item): string[] {
  const status = (s.status ?? {}) as { code?: number; message?: string };
  return [
    `    Trace ID       : ${s.traceId ?? ''}`,
    `    Parent ID      : ${s.parentSpanId ?? ''}`,
    `    ID             : ${s.spanId ?? ''}`,
    `    Name           : ${s.name ?? ''}`,
    `    Kind           : ${SPAN_KINDS[Number(s.kind ?? 0)] ?? s.kind}`,
    `    Start time     : ${timestamp(s.startTimeUnixNano)}`,
    `    End time       : ${timestamp(s.endTimeUnixNano)}`,
    `    Status code    : ${STATUS_CODES[Number(status.code ?? 0)] ?? status.code}`,
    `    Status message : ${status.message ?? ''}`,
    ...attributeBlock('Attributes', s.attributes),
  ];
}

function metric(m: Item): string[] {
  const points = dataPoints(m);
  const first = points[0];
  const out = [
    'Descriptor:',
    `     -> Name: ${m.name ?? ''}`,
    `     -> Description: ${m.description ?? ''}`,
    `     -> Unit: ${m.unit ?? ''}`,
  ];
  if (first) {
    out.push(`     -> DataType: ${first.kind[0]!.toUpperCase()}${first.kind.slice(1)}`);
    if (first.body.isMonotonic !== undefined) out.push(`     -> IsMonotonic: ${first.body.isMonotonic}`);
    if (first.body.aggregationTemporality !== undefined) {
      out.push(
        `     -> AggregationTemporality: ${TEMPORALITY[Number(first.body.aggregationTemporality)] ?? ''}`,
      );
    }
  }
  for (const [i, { point }] of points.entries()) out.push(`DataPoint #${i}`, ...pointLines(point));
  return out;
}

function pointLines(p: Point): string[] {
  const out = [
    ...attributeBlock('Data point attributes', p.attributes),
    `StartTimestamp: ${timestamp(p.startTimeUnixNano)}`,
    `Timestamp: ${timestamp(p.timeUnixNano)}`,
  ];
  if (p.asDouble !== undefined || p.asInt !== undefined) out.push(`Value: ${p.asDouble ?? p.asInt}`);
  if (p.count !== undefined) out.push(`Count: ${p.count}`);
  if (p.sum !== undefined) out.push(`Sum: ${p.sum}`);
  for (const [i, b] of list<unknown>(p.explicitBounds).entries()) out.push(`ExplicitBounds #${i}: ${b}`);
  for (const [i, c] of list<unknown>(p.bucketCounts).entries()) out.push(`Buckets #${i}, Count: ${c}`);
  return out;
}
