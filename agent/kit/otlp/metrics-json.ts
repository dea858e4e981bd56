// ExportMetricsServiceRequest as OTLP/JSON. fixed64/uint64/sfixed64 fields (counts, as_int) are
// decimal strings; doubles are numbers (or "NaN"/"Infinity"); temporality is its enum integer.
import type {
  ExponentialHistogramDataPoint,
  HistogramDataPoint,
  Metric,
  NumberDataPoint,
  ResourceMetrics,
} from '../record/record.ts';
import { writeAttributesJson, writeHeadJson } from './any-value-json.ts';
import type { JsonWriter } from './json-writer.ts';

export function writeMetricsJson(w: JsonWriter, batches: readonly ResourceMetrics[]): void {
  w.raw('{"resourceMetrics":[');
  for (let b = 0; b < batches.length; b++) {
    const batch = batches[b] as ResourceMetrics;
    if (b > 0) w.raw(',');
    writeHeadJson(w, batch.resource, 'scopeMetrics', batch.scope);
    w.raw(',"metrics":[');
    for (let i = 0; i < batch.metrics.length; i++) {
      if (i > 0) w.raw(',');
      writeMetricJson(w, batch.metrics[i] as Metric);
    }
    w.raw(']}]}');
  }
  w.raw(']}');
}

const FIELD = {
  gauge: 'gauge',
  sum: 'sum',
  histogram: 'histogram',
  exponential_histogram: 'exponentialHistogram',
};

function writeMetricJson(w: JsonWriter, m: Metric): void {
  w.raw('{"name":');
  w.str(m.name);
  if (m.description) {
    w.raw(',"description":');
    w.str(m.description);
  }
  if (m.unit) {
    w.raw(',"unit":');
    w.str(m.unit);
  }
  w.raw(',"' + FIELD[m.type] + '":{"dataPoints":[');
  for (let i = 0; i < m.points.length; i++) {
    if (i > 0) w.raw(',');
    const p = m.points[i] as NumberDataPoint | HistogramDataPoint | ExponentialHistogramDataPoint;
    w.raw('{"attributes":');
    writeAttributesJson(w, p.attributes);
    w.raw(',"startTimeUnixNano":');
    w.int64(p.startTimeUnixNano);
    w.raw(',"timeUnixNano":');
    w.int64(p.timeUnixNano);
    if (m.type === 'gauge' || m.type === 'sum') writeNumberValue(w, p as NumberDataPoint);
    else if (m.type === 'histogram') writeHistogramFields(w, p as HistogramDataPoint);
    else writeExponentialFields(w, p as ExponentialHistogramDataPoint);
    w.raw('}');
  }
  w.raw(']');
  if (m.type !== 'gauge') w.raw(',"aggregationTemporality":' + m.temporality);
  if (m.type === 'sum' && m.monotonic) w.raw(',"isMonotonic":true');
  w.raw('}}');
}

function writeNumberValue(w: JsonWriter, p: NumberDataPoint): void {
  if (p.asInt) {
    w.raw(',"asInt":');
    w.int64(Math.trunc(p.value));
  } else {
    w.raw(',"asDouble":');
    w.double(p.value);
  }
}

function writeCountSumMinMax(w: JsonWriter, p: HistogramDataPoint | ExponentialHistogramDataPoint): void {
  w.raw(',"count":');
  w.int64(p.count);
  if (p.sum !== undefined) {
    w.raw(',"sum":');
    w.double(p.sum);
  }
  if (p.min !== undefined) {
    w.raw(',"min":');
    w.double(p.min);
  }
  if (p.max !== undefined) {
    w.raw(',"max":');
    w.double(p.max);
  }
}

function writeHistogramFields(w: JsonWriter, p: HistogramDataPoint): void {
  writeCountSumMinMax(w, p);
  if (p.bucketCounts.length > 0) writeUint64s(w, ',"bucketCounts":[', p.bucketCounts);
  if (p.explicitBounds.length > 0) {
    w.raw(',"explicitBounds":[');
    for (let i = 0; i < p.explicitBounds.length; i++) {
      if (i > 0) w.raw(',');
      w.double(p.explicitBounds[i] as number);
    }
    w.raw(']');
  }
}

function writeExponentialFields(w: JsonWriter, p: ExponentialHistogramDataPoint): void {
  writeCountSumMinMax(w, p);
  if (p.scale !== 0) w.raw(',"scale":' + p.scale);
  w.raw(',"zeroCount":');
  w.int64(p.zeroCount);
  for (const [name, b] of [
    ['positive', p.positive],
    ['negative', p.negative],
  ] as const) {
    w.raw(',"' + name + '":{');
    if (b.offset !== 0) w.raw('"offset":' + b.offset + (b.bucketCounts.length > 0 ? ',' : ''));
    if (b.bucketCounts.length > 0) writeUint64s(w, '"bucketCounts":[', b.bucketCounts);
    w.raw('}');
  }
}

function writeUint64s(w: JsonWriter, head: string, counts: readonly number[]): void {
  w.raw(head);
  for (let i = 0; i < counts.length; i++) {
    if (i > 0) w.raw(',');
    w.int64(counts[i] as number);
  }
  w.raw(']');
}
