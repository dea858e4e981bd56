// The OTLP encoder: meshtail's records to ExportLogs/Trace/MetricsServiceRequest bytes, as protobuf
// (byte-equal to @opentelemetry/otlp-transformer for the same data) or as OTLP/JSON.
// Synchronous and not re-entrant; each worker thread has its own module instance and so its own buffer.
import type { ResourceLogs, ResourceMetrics, ResourceSpans } from '../record/record.ts';
import type { Encoding } from '../record/signal.ts';
import { JsonWriter } from './json-writer.ts';
import { writeLogsJson } from './logs-json.ts';
import { writeLogsRequest } from './logs-proto.ts';
import { writeMetricsJson } from './metrics-json.ts';
import { writeMetricsRequest } from './metrics-proto.ts';
import { ProtoWriter } from './proto-writer.ts';
import { writeTracesJson } from './traces-json.ts';
import { writeTracesRequest } from './traces-proto.ts';

// One buffer per encoding and thread, grown to the largest batch seen and reused; results are copied out.
const writer = new ProtoWriter();
const json = new JsonWriter();

export function encodeLogs(batches: readonly ResourceLogs[], encoding: Encoding): Uint8Array {
  if (encoding === 'json') {
    json.reset();
    writeLogsJson(json, batches);
    return json.finish();
  }
  writer.reset();
  writeLogsRequest(writer, batches);
  return writer.finish();
}

export function encodeTraces(batches: readonly ResourceSpans[], encoding: Encoding): Uint8Array {
  if (encoding === 'json') {
    json.reset();
    writeTracesJson(json, batches);
    return json.finish();
  }
  writer.reset();
  writeTracesRequest(writer, batches);
  return writer.finish();
}

export function encodeMetrics(batches: readonly ResourceMetrics[], encoding: Encoding): Uint8Array {
  if (encoding === 'json') {
    json.reset();
    writeMetricsJson(json, batches);
    return json.finish();
  }
  writer.reset();
  writeMetricsRequest(writer, batches);
  return writer.finish();
}
