// ExportTraceServiceRequest as OTLP/JSON. Default values are left out except ids, name, timestamps
// and status, which are always written.
import type { ResourceSpans, Span, SpanEvent, SpanLink } from '../record/record.ts';
import { writeAttributesJson, writeHeadJson } from './any-value-json.ts';
import type { JsonWriter } from './json-writer.ts';

export function writeTracesJson(w: JsonWriter, batches: readonly ResourceSpans[]): void {
  w.raw('{"resourceSpans":[');
  for (let b = 0; b < batches.length; b++) {
    const batch = batches[b] as ResourceSpans;
    if (b > 0) w.raw(',');
    writeHeadJson(w, batch.resource, 'scopeSpans', batch.scope);
    w.raw(',"spans":[');
    for (let i = 0; i < batch.spans.length; i++) {
      if (i > 0) w.raw(',');
      writeSpanJson(w, batch.spans[i] as Span);
    }
    w.raw(']}]}');
  }
  w.raw(']}');
}

function writeSpanJson(w: JsonWriter, s: Span): void {
  w.raw('{"traceId":');
  w.hex(s.traceId);
  w.raw(',"spanId":');
  w.hex(s.spanId);
  if (s.traceState) {
    w.raw(',"traceState":');
    w.str(s.traceState);
  }
  if (s.parentSpanId !== undefined && s.parentSpanId.length > 0) {
    w.raw(',"parentSpanId":');
    w.hex(s.parentSpanId);
  }
  if (s.flags) w.raw(',"flags":' + s.flags);
  w.raw(',"name":');
  w.str(s.name);
  if (s.kind) w.raw(',"kind":' + s.kind);
  w.raw(',"startTimeUnixNano":');
  w.int64(s.startTimeUnixNano);
  w.raw(',"endTimeUnixNano":');
  w.int64(s.endTimeUnixNano);
  w.raw(',"attributes":');
  writeAttributesJson(w, s.attributes);
  if (s.events.length > 0) {
    w.raw(',"events":[');
    for (let i = 0; i < s.events.length; i++) writeEventJson(w, s.events[i] as SpanEvent, i);
    w.raw(']');
  }
  if (s.links.length > 0) {
    w.raw(',"links":[');
    for (let i = 0; i < s.links.length; i++) writeLinkJson(w, s.links[i] as SpanLink, i);
    w.raw(']');
  }
  w.raw(',"status":{');
  if (s.status.message) {
    w.raw('"message":');
    w.str(s.status.message);
    if (s.status.code) w.raw(',');
  }
  if (s.status.code) w.raw('"code":' + s.status.code);
  w.raw('}}');
}

function writeEventJson(w: JsonWriter, e: SpanEvent, index: number): void {
  w.raw(index > 0 ? ',{"timeUnixNano":' : '{"timeUnixNano":');
  w.int64(e.timeUnixNano);
  w.raw(',"name":');
  w.str(e.name);
  w.raw(',"attributes":');
  writeAttributesJson(w, e.attributes);
  w.raw('}');
}

function writeLinkJson(w: JsonWriter, l: SpanLink, index: number): void {
  w.raw(index > 0 ? ',{"traceId":' : '{"traceId":');
  w.hex(l.traceId);
  w.raw(',"spanId":');
  w.hex(l.spanId);
  if (l.traceState) {
    w.raw(',"traceState":');
    w.str(l.traceState);
  }
  w.raw(',"attributes":');
  writeAttributesJson(w, l.attributes);
  w.raw('}');
}
