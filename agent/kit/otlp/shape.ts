// The OTLP messages meshtail writes, field by field (opentelemetry/proto common, resource, logs,
// trace, metrics v1): one table for both encodings. The traversals (logs.ts, traces.ts,
// metrics.ts, common.ts) write fields in the order @opentelemetry/otlp-transformer does, so the
// protobuf bytes match it.
import { field } from './field.ts';

export const ANY_VALUE = {
  stringValue: field(1, 'bytes', 'stringValue'),
  boolValue: field(2, 'varint', 'boolValue'),
  intValue: field(3, 'varint', 'intValue'),
  doubleValue: field(4, 'fixed64', 'doubleValue'),
  arrayValue: field(5, 'bytes', 'arrayValue'),
  kvlistValue: field(6, 'bytes', 'kvlistValue'),
  bytesValue: field(7, 'bytes', 'bytesValue'),
};
/** ArrayValue and KeyValueList: `repeated … values = 1`. */
export const VALUES = field(1, 'bytes', 'values');
export const KEY_VALUE = { key: field(1, 'bytes', 'key'), value: field(2, 'bytes', 'value') };

export const RESOURCE = {
  attributes: field(1, 'bytes', 'attributes'),
  droppedAttributesCount: field(2, 'varint', 'droppedAttributesCount'),
};
export const SCOPE = { name: field(1, 'bytes', 'name'), version: field(2, 'bytes', 'version') };

/** Export*ServiceRequest → Resource* → Scope* → items: the same nesting for every signal. */
export interface Envelope {
  resources: ReturnType<typeof field>;
  resource: ReturnType<typeof field>;
  scopes: ReturnType<typeof field>;
  scope: ReturnType<typeof field>;
  items: ReturnType<typeof field>;
}
const envelope = (resources: string, scopes: string, items: string): Envelope => ({
  resources: field(1, 'bytes', resources),
  resource: field(1, 'bytes', 'resource'),
  scopes: field(2, 'bytes', scopes),
  scope: field(1, 'bytes', 'scope'),
  items: field(2, 'bytes', items),
});
export const LOGS = envelope('resourceLogs', 'scopeLogs', 'logRecords');
export const TRACES = envelope('resourceSpans', 'scopeSpans', 'spans');
export const METRICS = envelope('resourceMetrics', 'scopeMetrics', 'metrics');

export const LOG_RECORD = {
  timeUnixNano: field(1, 'fixed64', 'timeUnixNano'),
  severityNumber: field(2, 'varint', 'severityNumber'),
  severityText: field(3, 'bytes', 'severityText'),
  body: field(5, 'bytes', 'body'),
  attributes: field(6, 'bytes', 'attributes'),
  droppedAttributesCount: field(7, 'varint', 'droppedAttributesCount'),
  flags: field(8, 'fixed32', 'flags'),
  traceId: field(9, 'bytes', 'traceId'),
  spanId: field(10, 'bytes', 'spanId'),
  observedTimeUnixNano: field(11, 'fixed64', 'observedTimeUnixNano'),
  eventName: field(12, 'bytes', 'eventName'),
};

export const SPAN = {
  traceId: field(1, 'bytes', 'traceId'),
  spanId: field(2, 'bytes', 'spanId'),
  traceState: field(3, 'bytes', 'traceState'),
  parentSpanId: field(4, 'bytes', 'parentSpanId'),
  name: field(5, 'bytes', 'name'),
  kind: field(6, 'varint', 'kind'),
  startTimeUnixNano: field(7, 'fixed64', 'startTimeUnixNano'),
  endTimeUnixNano: field(8, 'fixed64', 'endTimeUnixNano'),
  attributes: field(9, 'bytes', 'attributes'),
  droppedAttributesCount: field(10, 'varint', 'droppedAttributesCount'),
  events: field(11, 'bytes', 'events'),
  droppedEventsCount: field(12, 'varint', 'droppedEventsCount'),
  links: field(13, 'bytes', 'links'),
  droppedLinksCount: field(14, 'varint', 'droppedLinksCount'),
  status: field(15, 'bytes', 'status'),
  flags: field(16, 'fixed32', 'flags'),
};
export const SPAN_EVENT = {
  timeUnixNano: field(1, 'fixed64', 'timeUnixNano'),
  name: field(2, 'bytes', 'name'),
  attributes: field(3, 'bytes', 'attributes'),
  droppedAttributesCount: field(4, 'varint', 'droppedAttributesCount'),
};
export const SPAN_LINK = {
  traceId: field(1, 'bytes', 'traceId'),
  spanId: field(2, 'bytes', 'spanId'),
  traceState: field(3, 'bytes', 'traceState'),
  attributes: field(4, 'bytes', 'attributes'),
  droppedAttributesCount: field(5, 'varint', 'droppedAttributesCount'),
};
export const STATUS = { message: field(2, 'bytes', 'message'), code: field(3, 'varint', 'code') };

export const METRIC = {
  name: field(1, 'bytes', 'name'),
  description: field(2, 'bytes', 'description'),
  unit: field(3, 'bytes', 'unit'),
  gauge: field(5, 'bytes', 'gauge'),
  sum: field(7, 'bytes', 'sum'),
  histogram: field(9, 'bytes', 'histogram'),
  exponential_histogram: field(10, 'bytes', 'exponentialHistogram'),
};
/** Gauge, Sum, Histogram, ExponentialHistogram: data_points = 1, then their own fields. */
export const METRIC_DATA = {
  dataPoints: field(1, 'bytes', 'dataPoints'),
  aggregationTemporality: field(2, 'varint', 'aggregationTemporality'),
  isMonotonic: field(3, 'varint', 'isMonotonic'),
};
export const NUMBER_POINT = {
  startTimeUnixNano: field(2, 'fixed64', 'startTimeUnixNano'),
  timeUnixNano: field(3, 'fixed64', 'timeUnixNano'),
  asDouble: field(4, 'fixed64', 'asDouble'),
  asInt: field(6, 'fixed64', 'asInt'),
  attributes: field(7, 'bytes', 'attributes'),
};
export const HISTOGRAM_POINT = {
  startTimeUnixNano: field(2, 'fixed64', 'startTimeUnixNano'),
  timeUnixNano: field(3, 'fixed64', 'timeUnixNano'),
  count: field(4, 'fixed64', 'count'),
  sum: field(5, 'fixed64', 'sum'),
  bucketCounts: field(6, 'bytes', 'bucketCounts'),
  explicitBounds: field(7, 'bytes', 'explicitBounds'),
  attributes: field(9, 'bytes', 'attributes'),
  min: field(11, 'fixed64', 'min'),
  max: field(12, 'fixed64', 'max'),
};
export const EXPONENTIAL_POINT = {
  attributes: field(1, 'bytes', 'attributes'),
  startTimeUnixNano: field(2, 'fixed64', 'startTimeUnixNano'),
  timeUnixNano: field(3, 'fixed64', 'timeUnixNano'),
  count: field(4, 'fixed64', 'count'),
  sum: field(5, 'fixed64', 'sum'),
  scale: field(6, 'varint', 'scale'),
  zeroCount: field(7, 'fixed64', 'zeroCount'),
  positive: field(8, 'bytes', 'positive'),
  negative: field(9, 'bytes', 'negative'),
  min: field(12, 'fixed64', 'min'),
  max: field(13, 'fixed64', 'max'),
};
export const BUCKETS = {
  offset: field(1, 'varint', 'offset'),
  bucketCounts: field(2, 'bytes', 'bucketCounts'),
};
