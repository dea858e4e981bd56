// ExportLogsServiceRequest as OTLP/JSON. Default values (0, "", empty ids) are left out, as proto3
// JSON allows, except the two timestamps, which are always written.
import type { LogRecord, ResourceLogs } from '../record/record.ts';
import { writeAnyValueJson, writeAttributesJson, writeHeadJson } from './any-value-json.ts';
import type { JsonWriter } from './json-writer.ts';

export function writeLogsJson(w: JsonWriter, batches: readonly ResourceLogs[]): void {
  w.raw('{"resourceLogs":[');
  for (let b = 0; b < batches.length; b++) {
    const batch = batches[b] as ResourceLogs;
    if (b > 0) w.raw(',');
    writeHeadJson(w, batch.resource, 'scopeLogs', batch.scope);
    w.raw(',"logRecords":[');
    const records = batch.records;
    for (let i = 0; i < records.length; i++) {
      if (i > 0) w.raw(',');
      writeLogRecordJson(w, records[i] as LogRecord);
    }
    w.raw(']}]}');
  }
  w.raw(']}');
}

function writeLogRecordJson(w: JsonWriter, r: LogRecord): void {
  w.raw('{"timeUnixNano":');
  w.int64(r.timeUnixNano);
  w.raw(',"observedTimeUnixNano":');
  w.int64(r.observedTimeUnixNano);
  if (r.severityNumber) w.raw(',"severityNumber":' + r.severityNumber);
  if (r.severityText) {
    w.raw(',"severityText":');
    w.str(r.severityText);
  }
  if (r.body !== undefined) {
    w.raw(',"body":');
    writeAnyValueJson(w, r.body);
  }
  w.raw(',"attributes":');
  writeAttributesJson(w, r.attributes);
  if (r.flags) w.raw(',"flags":' + r.flags);
  if (r.traceId !== undefined && r.traceId.length > 0) {
    w.raw(',"traceId":');
    w.hex(r.traceId);
  }
  if (r.spanId !== undefined && r.spanId.length > 0) {
    w.raw(',"spanId":');
    w.hex(r.spanId);
  }
  if (r.eventName) {
    w.raw(',"eventName":');
    w.str(r.eventName);
  }
  w.raw('}');
}
