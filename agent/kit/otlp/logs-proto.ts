// ExportLogsServiceRequest as OTLP protobuf, written straight from the batch.
//
// Why hand-written, measured: 10k Istio access-log records with 15 attributes (~1 KiB each),
// `node bench/otlp-encode.bench.ts`, Node v24.21.0, 2-core AMD EPYC VM under load avg ~2, 3 runs:
// this encoder 250k-315k records/s; otlp-transformer 0.301.1 ProtobufLogsSerializer 72k-79k
// records/s (3.5-4.0x), byte-equal output. It also skips the SDK objects the transformer needs.
// Why faster: one pass (no size-estimation pass), one reused buffer, tags written as constant bytes.
import type { LogRecord, ResourceLogs } from '../record/record.ts';
import { writeAnyValue, writeAttributes, writeResource, writeScope } from './any-value-proto.ts';
import type { ProtoWriter } from './proto-writer.ts';

// Length-prefix guesses: a log record is usually 128 B..16 KiB, a ResourceLogs/ScopeLogs below 2 MiB.
const RECORD_GUESS = 2;
const BATCH_GUESS = 3;

export function writeLogsRequest(w: ProtoWriter, batches: readonly ResourceLogs[]): void {
  for (let b = 0; b < batches.length; b++) {
    const batch = batches[b] as ResourceLogs;
    w.byte(0x0a); // ExportLogsServiceRequest.resource_logs = 1
    const rl = w.fork(BATCH_GUESS);
    writeResource(w, batch.resource);
    w.byte(0x12); // ResourceLogs.scope_logs = 2
    const sl = w.fork(BATCH_GUESS);
    writeScope(w, batch.scope);
    const records = batch.records;
    for (let i = 0; i < records.length; i++) {
      w.byte(0x12); // ScopeLogs.log_records = 2
      const mark = w.fork(RECORD_GUESS);
      writeLogRecord(w, records[i] as LogRecord);
      w.join(mark, RECORD_GUESS);
    }
    w.join(sl, BATCH_GUESS);
    w.join(rl, BATCH_GUESS);
  }
}

function writeLogRecord(w: ProtoWriter, r: LogRecord): void {
  w.byte(0x09); // time_unix_nano = 1, fixed64
  w.fixed64(r.timeUnixNano);
  if (r.severityNumber) {
    w.byte(0x10); // severity_number = 2
    w.uint32(r.severityNumber);
  }
  if (r.severityText) {
    w.byte(0x1a); // severity_text = 3
    w.string(r.severityText);
  }
  if (r.body !== undefined) {
    w.byte(0x2a); // body = 5
    // The body is usually the original line, longer than 127 bytes.
    const guess = typeof r.body === 'string' && r.body.length > 120 ? 2 : 1;
    const body = w.fork(guess);
    writeAnyValue(w, r.body);
    w.join(body, guess);
  }
  writeAttributes(w, 0x32, r.attributes); // attributes = 6
  w.byte(0x38); // dropped_attributes_count = 7, always written (as the transformer does)
  w.byte(0);
  if (r.flags) {
    w.byte(0x45); // flags = 8, fixed32
    w.fixed32(r.flags);
  }
  if (r.traceId !== undefined && r.traceId.length > 0) {
    w.byte(0x4a); // trace_id = 9
    w.bytes(r.traceId);
  }
  if (r.spanId !== undefined && r.spanId.length > 0) {
    w.byte(0x52); // span_id = 10
    w.bytes(r.spanId);
  }
  w.byte(0x59); // observed_time_unix_nano = 11, fixed64
  w.fixed64(r.observedTimeUnixNano);
  if (r.eventName) {
    w.byte(0x62); // event_name = 12
    w.string(r.eventName);
  }
}
