// ExportMetricsServiceRequest, written straight from the batch, for both encodings: gauge, sum,
// histogram and exponential histogram, in the transformer's field order.
import type {
  ExponentialHistogramDataPoint,
  HistogramDataPoint,
  Metric,
  NumberDataPoint,
  ResourceMetrics,
} from '../record/record.ts';
import { writeAttributes, writeRequest } from './common.ts';
import type { OtlpSink } from './otlp-sink.ts';
import {
  BUCKETS,
  EXPONENTIAL_POINT,
  HISTOGRAM_POINT,
  METRIC,
  METRIC_DATA,
  METRICS,
  NUMBER_POINT,
} from './shape.ts';

export function writeMetrics(s: OtlpSink, batches: readonly ResourceMetrics[]): void {
  writeRequest(s, METRICS, batches, (b) => b.metrics, writeMetric, 2);
}

function writeMetric(s: OtlpSink, m: Metric): void {
  s.string(METRIC.name, m.name);
  if (m.description) s.string(METRIC.description, m.description);
  if (m.unit) s.string(METRIC.unit, m.unit);
  const data = s.open(METRIC[m.type], 2);
  s.openList(METRIC_DATA.dataPoints);
  for (let i = 0; i < m.points.length; i++) {
    const mark = s.item(METRIC_DATA.dataPoints, 1);
    if (m.type === 'gauge' || m.type === 'sum') writeNumberPoint(s, m.points[i] as NumberDataPoint);
    else if (m.type === 'histogram') writeHistogramPoint(s, m.points[i] as HistogramDataPoint);
    else writeExponentialPoint(s, m.points[i] as ExponentialHistogramDataPoint);
    s.close(mark, 1);
  }
  s.closeList();
  if (m.type !== 'gauge') s.uint32(METRIC_DATA.aggregationTemporality, m.temporality);
  if (m.type === 'sum' && m.monotonic) s.bool(METRIC_DATA.isMonotonic, true);
  s.close(data, 2);
}

function writeNumberPoint(s: OtlpSink, p: NumberDataPoint): void {
  s.fixed64(NUMBER_POINT.startTimeUnixNano, p.startTimeUnixNano);
  s.fixed64(NUMBER_POINT.timeUnixNano, p.timeUnixNano);
  if (p.asInt) s.fixed64n(NUMBER_POINT.asInt, Math.trunc(p.value));
  else s.double(NUMBER_POINT.asDouble, p.value);
  writeAttributes(s, NUMBER_POINT.attributes, p.attributes);
}

function writeHistogramPoint(s: OtlpSink, p: HistogramDataPoint): void {
  s.fixed64(HISTOGRAM_POINT.startTimeUnixNano, p.startTimeUnixNano);
  s.fixed64(HISTOGRAM_POINT.timeUnixNano, p.timeUnixNano);
  s.fixed64n(HISTOGRAM_POINT.count, p.count);
  if (p.sum !== undefined) s.double(HISTOGRAM_POINT.sum, p.sum);
  if (p.bucketCounts.length > 0) s.packedFixed64(HISTOGRAM_POINT.bucketCounts, p.bucketCounts);
  if (p.explicitBounds.length > 0) s.packedDouble(HISTOGRAM_POINT.explicitBounds, p.explicitBounds);
  writeAttributes(s, HISTOGRAM_POINT.attributes, p.attributes);
  if (p.min !== undefined) s.double(HISTOGRAM_POINT.min, p.min);
  if (p.max !== undefined) s.double(HISTOGRAM_POINT.max, p.max);
}

function writeExponentialPoint(s: OtlpSink, p: ExponentialHistogramDataPoint): void {
  writeAttributes(s, EXPONENTIAL_POINT.attributes, p.attributes);
  s.fixed64(EXPONENTIAL_POINT.startTimeUnixNano, p.startTimeUnixNano);
  s.fixed64(EXPONENTIAL_POINT.timeUnixNano, p.timeUnixNano);
  s.fixed64n(EXPONENTIAL_POINT.count, p.count);
  if (p.sum !== undefined) s.double(EXPONENTIAL_POINT.sum, p.sum);
  if (p.scale !== 0) s.sint32(EXPONENTIAL_POINT.scale, p.scale);
  s.fixed64n(EXPONENTIAL_POINT.zeroCount, p.zeroCount);
  for (const [f, b] of [
    [EXPONENTIAL_POINT.positive, p.positive],
    [EXPONENTIAL_POINT.negative, p.negative],
  ] as const) {
    const mark = s.open(f, 1);
    if (b.offset !== 0) s.sint32(BUCKETS.offset, b.offset);
    if (b.bucketCounts.length > 0) s.packedUint64(BUCKETS.bucketCounts, b.bucketCounts);
    s.close(mark, 1);
  }
  if (p.min !== undefined) s.double(EXPONENTIAL_POINT.min, p.min);
  if (p.max !== undefined) s.double(EXPONENTIAL_POINT.max, p.max);
}
