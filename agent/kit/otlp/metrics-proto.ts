// ExportMetricsServiceRequest as OTLP protobuf: gauge, sum, histogram, exponential histogram.
import type {
  ExponentialHistogramDataPoint,
  HistogramDataPoint,
  Metric,
  NumberDataPoint,
  ResourceMetrics,
} from '../record/record.ts';
import { writeAttributes, writeResource, writeScope } from './any-value-proto.ts';
import { writeExponentialHistogramPoint, writeHistogramPoint } from './histogram-proto.ts';
import type { ProtoWriter } from './proto-writer.ts';

const BATCH_GUESS = 3;

export function writeMetricsRequest(w: ProtoWriter, batches: readonly ResourceMetrics[]): void {
  for (let b = 0; b < batches.length; b++) {
    const batch = batches[b] as ResourceMetrics;
    w.byte(0x0a); // ExportMetricsServiceRequest.resource_metrics = 1
    const rm = w.fork(BATCH_GUESS);
    writeResource(w, batch.resource);
    w.byte(0x12); // ResourceMetrics.scope_metrics = 2
    const sm = w.fork(BATCH_GUESS);
    writeScope(w, batch.scope);
    for (let i = 0; i < batch.metrics.length; i++) {
      w.byte(0x12); // ScopeMetrics.metrics = 2
      const mark = w.fork(2);
      writeMetric(w, batch.metrics[i] as Metric);
      w.join(mark, 2);
    }
    w.join(sm, BATCH_GUESS);
    w.join(rm, BATCH_GUESS);
  }
}

function writeMetric(w: ProtoWriter, m: Metric): void {
  w.byte(0x0a); // name = 1
  w.string(m.name);
  if (m.description) {
    w.byte(0x12); // description = 2
    w.string(m.description);
  }
  if (m.unit) {
    w.byte(0x1a); // unit = 3
    w.string(m.unit);
  }
  // gauge = 5, sum = 7, histogram = 9, exponential_histogram = 10; each { data_points = 1, ... }.
  const tag = m.type === 'gauge' ? 0x2a : m.type === 'sum' ? 0x3a : m.type === 'histogram' ? 0x4a : 0x52;
  w.byte(tag);
  const data = w.fork(2);
  switch (m.type) {
    case 'gauge':
    case 'sum':
      for (let i = 0; i < m.points.length; i++) {
        w.byte(0x0a);
        const mark = w.fork(1);
        writeNumberPoint(w, m.points[i] as NumberDataPoint);
        w.join(mark, 1);
      }
      break;
    case 'histogram':
      for (let i = 0; i < m.points.length; i++) {
        w.byte(0x0a);
        const mark = w.fork(1);
        writeHistogramPoint(w, m.points[i] as HistogramDataPoint);
        w.join(mark, 1);
      }
      break;
    case 'exponential_histogram':
      for (let i = 0; i < m.points.length; i++) {
        w.byte(0x0a);
        const mark = w.fork(1);
        writeExponentialHistogramPoint(w, m.points[i] as ExponentialHistogramDataPoint);
        w.join(mark, 1);
      }
      break;
  }
  if (m.type !== 'gauge') {
    w.byte(0x10); // aggregation_temporality = 2
    w.uint32(m.temporality);
  }
  if (m.type === 'sum' && m.monotonic) {
    w.byte(0x18); // is_monotonic = 3
    w.byte(1);
  }
  w.join(data, 2);
}

/** NumberDataPoint, in the transformer's field order: 2, 3, 6|4, 7. */
function writeNumberPoint(w: ProtoWriter, p: NumberDataPoint): void {
  w.byte(0x11); // start_time_unix_nano = 2
  w.fixed64(p.startTimeUnixNano);
  w.byte(0x19); // time_unix_nano = 3
  w.fixed64(p.timeUnixNano);
  if (p.asInt) {
    w.byte(0x31); // as_int = 6, sfixed64
    w.fixed64n(Math.trunc(p.value));
  } else {
    w.byte(0x21); // as_double = 4
    w.double(p.value);
  }
  writeAttributes(w, 0x3a, p.attributes); // attributes = 7
}
