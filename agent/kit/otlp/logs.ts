// ExportLogsServiceRequest, written straight from the batch, for both encodings.
//
// Hand-written for speed, byte-equal to otlp-transformer's protobuf (bench/otlp-encode.bench.ts,
// bench/RESULTS.md): one pass (no size-estimation pass), one reused buffer, tags written as
// constant bytes, and no SDK objects.
import type { LogRecord, ResourceLogs } from '../record/record.ts';
import { writeAnyValue, writeAttributes, writeRequest } from './common.ts';
import type { OtlpSink } from './otlp-sink.ts';
import { LOG_RECORD, LOGS } from './shape.ts';

// A log record is usually 128 B..16 KiB: a two-byte length prefix.
const RECORD_GUESS = 2;

export function writeLogs(s: OtlpSink, batches: readonly ResourceLogs[]): void {
  writeRequest(s, LOGS, batches, (b) => b.records, writeLogRecord, RECORD_GUESS);
}

function writeLogRecord(s: OtlpSink, r: LogRecord): void {
  s.fixed64(LOG_RECORD.timeUnixNano, r.timeUnixNano);
  if (r.severityNumber) s.uint32(LOG_RECORD.severityNumber, r.severityNumber);
  if (r.severityText) s.string(LOG_RECORD.severityText, r.severityText);
  if (r.body !== undefined) {
    // The body is usually the original line, longer than 127 bytes.
    const guess = typeof r.body === 'string' && r.body.length > 120 ? 2 : 1;
    const body = s.open(LOG_RECORD.body, guess);
    writeAnyValue(s, r.body);
    s.close(body, guess);
  }
  writeAttributes(s, LOG_RECORD.attributes, r.attributes);
  s.zero(LOG_RECORD.droppedAttributesCount);
  if (r.flags) s.fixed32(LOG_RECORD.flags, r.flags);
  if (r.traceId !== undefined && r.traceId.length > 0) s.id(LOG_RECORD.traceId, r.traceId);
  if (r.spanId !== undefined && r.spanId.length > 0) s.id(LOG_RECORD.spanId, r.spanId);
  s.fixed64(LOG_RECORD.observedTimeUnixNano, r.observedTimeUnixNano);
  if (r.eventName) s.string(LOG_RECORD.eventName, r.eventName);
}
