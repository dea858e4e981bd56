// The sample batches rebuilt as the OpenTelemetry SDK's objects (ReadableLogRecord, ReadableSpan,
// ResourceMetrics), so otlp-transformer can serialize the same data for comparison.
import { type AnyValue, type HrTime, type SpanContext, ValueType } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality,
  DataPointType,
  type MetricData,
  type ResourceMetrics as SdkResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type {
  Attributes,
  AttributeValue,
  Metric,
  ResourceLogs,
  ResourceMetrics,
  ResourceSpans,
} from '../../../../../agent/kit/record/record.ts';

export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
export const hrTime = (ns: bigint): HrTime => [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];

/** The SDK spells a kvlist as a plain object. */
function sdkValue(v: AttributeValue): AnyValue {
  if (Array.isArray(v)) return v.map(sdkValue);
  if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) return sdkAttributes(v.kvlist);
  return v as AnyValue;
}

function sdkAttributes(attributes: Attributes): Record<string, AnyValue> {
  const out: Record<string, AnyValue> = {};
  for (const key of Object.keys(attributes)) out[key] = sdkValue(attributes[key] as AttributeValue);
  return out;
}

// biome-ignore lint/suspicious/noExplicitAny: the SDK types forbid nested values that its encoder accepts.
type Loose = any;

export function toSdkLogs(batches: ResourceLogs[]): ReadableLogRecord[] {
  return batches.flatMap((b) => {
    const resource = resourceFromAttributes(sdkAttributes(b.resource) as Loose);
    const scope = { ...b.scope };
    return b.records.map((r) => ({
      hrTime: hrTime(r.timeUnixNano),
      hrTimeObserved: hrTime(r.observedTimeUnixNano),
      spanContext: r.traceId
        ? { traceId: hex(r.traceId), spanId: hex(r.spanId!), traceFlags: r.flags ?? 0 }
        : undefined,
      severityNumber: r.severityNumber,
      severityText: r.severityText,
      body: sdkValue(r.body),
      eventName: r.eventName,
      resource,
      instrumentationScope: scope,
      attributes: sdkAttributes(r.attributes) as Loose,
      droppedAttributesCount: 0,
    }));
  });
}

/** OTLP span flags carry the W3C trace flags in bits 0-7 and "is remote" in bits 8-9. */
function context(traceId: Uint8Array, spanId: Uint8Array, flags: number, traceState?: string): SpanContext {
  const state = traceState ? { serialize: () => traceState } : undefined;
  return {
    traceId: hex(traceId),
    spanId: hex(spanId),
    traceFlags: flags & 0xff,
    isRemote: (flags & 0x200) !== 0,
    traceState: state as Loose,
  };
}

export function toSdkSpans(batches: ResourceSpans[]): ReadableSpan[] {
  return batches.flatMap((b) => {
    const resource = resourceFromAttributes(sdkAttributes(b.resource) as Loose);
    const scope = { ...b.scope };
    return b.spans.map((s) => {
      const ctx = context(s.traceId, s.spanId, s.flags ?? 0, s.traceState);
      const parent = s.parentSpanId
        ? { ...context(s.traceId, s.parentSpanId, 0), isRemote: ctx.isRemote }
        : undefined;
      return {
        name: s.name,
        kind: s.kind - 1,
        spanContext: () => ctx,
        parentSpanContext: parent,
        startTime: hrTime(s.startTimeUnixNano),
        endTime: hrTime(s.endTimeUnixNano),
        status: { code: s.status.code, message: s.status.message },
        attributes: sdkAttributes(s.attributes) as Loose,
        links: s.links.map((l) => ({
          context: context(l.traceId, l.spanId, 0, l.traceState),
          attributes: sdkAttributes(l.attributes) as Loose,
          droppedAttributesCount: 0,
        })),
        events: s.events.map((e) => ({
          name: e.name,
          time: hrTime(e.timeUnixNano),
          attributes: sdkAttributes(e.attributes) as Loose,
          droppedAttributesCount: 0,
        })),
        duration: [0, 0],
        ended: true,
        resource,
        instrumentationScope: scope,
        droppedAttributesCount: 0,
        droppedEventsCount: 0,
        droppedLinksCount: 0,
      } as ReadableSpan;
    });
  });
}

const TEMPORALITY = { 1: AggregationTemporality.DELTA, 2: AggregationTemporality.CUMULATIVE } as const;
const TYPE = {
  gauge: DataPointType.GAUGE,
  sum: DataPointType.SUM,
  histogram: DataPointType.HISTOGRAM,
  exponential_histogram: DataPointType.EXPONENTIAL_HISTOGRAM,
} as const;

function sdkMetric(m: Metric): MetricData {
  const isInt = (m.type === 'gauge' || m.type === 'sum') && m.points.some((p) => p.asInt);
  const dataPoints = (m.points as Loose[]).map((p) => {
    const common = {
      startTime: hrTime(p.startTimeUnixNano),
      endTime: hrTime(p.timeUnixNano),
      attributes: sdkAttributes(p.attributes),
    };
    if (m.type === 'gauge' || m.type === 'sum') return { ...common, value: p.value };
    if (m.type === 'histogram') {
      const { count, sum, min, max, bucketCounts, explicitBounds } = p;
      return {
        ...common,
        value: { count, sum, min, max, buckets: { boundaries: explicitBounds, counts: bucketCounts } },
      };
    }
    const { count, sum, min, max, scale, zeroCount, positive, negative } = p;
    return { ...common, value: { count, sum, min, max, scale, zeroCount, positive, negative } };
  });
  return {
    descriptor: {
      name: m.name,
      description: m.description ?? '',
      unit: m.unit ?? '',
      valueType: isInt ? ValueType.INT : ValueType.DOUBLE,
    },
    dataPointType: TYPE[m.type],
    aggregationTemporality:
      m.type === 'gauge' ? AggregationTemporality.CUMULATIVE : TEMPORALITY[m.temporality],
    isMonotonic: m.type === 'sum' ? m.monotonic : false,
    dataPoints,
  } as Loose;
}

export function toSdkMetrics(batches: ResourceMetrics[]): SdkResourceMetrics[] {
  return batches.map((b) => ({
    resource: resourceFromAttributes(sdkAttributes(b.resource) as Loose),
    scopeMetrics: [{ scope: { ...b.scope }, metrics: b.metrics.map(sdkMetric) }],
  }));
}
