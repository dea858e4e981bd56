// The OTLP encoder: meshtail's records to ExportLogs/Trace/MetricsServiceRequest bytes, as protobuf
// (byte-equal to @opentelemetry/otlp-transformer for the same data) or as OTLP/JSON. One traversal
// per signal (logs.ts, traces.ts, metrics.ts) feeds either sink.
// Synchronous and not re-entrant; each worker thread has its own module instance and so its own buffers.
import type { ResourceLogs, ResourceMetrics, ResourceSpans } from '../record/record.ts';
import type { Encoding } from '../record/signal.ts';
import { JsonSink } from './json-sink.ts';
import { writeLogs } from './logs.ts';
import { writeMetrics } from './metrics.ts';
import type { OtlpSink } from './otlp-sink.ts';
import { ProtoSink } from './proto-sink.ts';
import { writeTraces } from './traces.ts';

// One buffer per encoding and thread, grown to the largest batch seen and reused; results are copied out.
const proto = new ProtoSink();
const json = new JsonSink();

function encode<B>(batches: readonly B[], encoding: Encoding, write: (s: OtlpSink, b: readonly B[]) => void) {
  const sink = encoding === 'json' ? json : proto;
  sink.reset();
  write(sink, batches);
  return sink.finish();
}

export function encodeLogs(batches: readonly ResourceLogs[], encoding: Encoding): Uint8Array {
  return encode(batches, encoding, writeLogs);
}

export function encodeTraces(batches: readonly ResourceSpans[], encoding: Encoding): Uint8Array {
  return encode(batches, encoding, writeTraces);
}

export function encodeMetrics(batches: readonly ResourceMetrics[], encoding: Encoding): Uint8Array {
  return encode(batches, encoding, writeMetrics);
}
