// ExportTraceServiceRequest as OTLP protobuf, written straight from the batch.
import type { ResourceSpans, Span, SpanEvent, SpanLink } from '../record/record.ts';
import { writeAttributes, writeResource, writeScope } from './any-value-proto.ts';
import type { ProtoWriter } from './proto-writer.ts';

const SPAN_GUESS = 2;
const BATCH_GUESS = 3;

export function writeTracesRequest(w: ProtoWriter, batches: readonly ResourceSpans[]): void {
  for (let b = 0; b < batches.length; b++) {
    const batch = batches[b] as ResourceSpans;
    w.byte(0x0a); // ExportTraceServiceRequest.resource_spans = 1
    const rs = w.fork(BATCH_GUESS);
    writeResource(w, batch.resource);
    w.byte(0x12); // ResourceSpans.scope_spans = 2
    const ss = w.fork(BATCH_GUESS);
    writeScope(w, batch.scope);
    const spans = batch.spans;
    for (let i = 0; i < spans.length; i++) {
      w.byte(0x12); // ScopeSpans.spans = 2
      const mark = w.fork(SPAN_GUESS);
      writeSpan(w, spans[i] as Span);
      w.join(mark, SPAN_GUESS);
    }
    w.join(ss, BATCH_GUESS);
    w.join(rs, BATCH_GUESS);
  }
}

function writeSpan(w: ProtoWriter, s: Span): void {
  w.byte(0x0a); // trace_id = 1
  w.bytes(s.traceId);
  w.byte(0x12); // span_id = 2
  w.bytes(s.spanId);
  if (s.traceState) {
    w.byte(0x1a); // trace_state = 3
    w.string(s.traceState);
  }
  if (s.parentSpanId !== undefined && s.parentSpanId.length > 0) {
    w.byte(0x22); // parent_span_id = 4
    w.bytes(s.parentSpanId);
  }
  w.byte(0x2a); // name = 5
  w.string(s.name);
  if (s.kind) {
    w.byte(0x30); // kind = 6
    w.uint32(s.kind);
  }
  w.byte(0x39); // start_time_unix_nano = 7
  w.fixed64(s.startTimeUnixNano);
  w.byte(0x41); // end_time_unix_nano = 8
  w.fixed64(s.endTimeUnixNano);
  writeAttributes(w, 0x4a, s.attributes); // attributes = 9
  w.byte(0x50); // dropped_attributes_count = 10 (always written, as the transformer does)
  w.byte(0);
  for (let i = 0; i < s.events.length; i++) {
    w.byte(0x5a); // events = 11
    const mark = w.fork(1);
    writeEvent(w, s.events[i] as SpanEvent);
    w.join(mark, 1);
  }
  w.byte(0x60); // dropped_events_count = 12
  w.byte(0);
  for (let i = 0; i < s.links.length; i++) {
    w.byte(0x6a); // links = 13
    const mark = w.fork(1);
    writeLink(w, s.links[i] as SpanLink);
    w.join(mark, 1);
  }
  w.byte(0x70); // dropped_links_count = 14
  w.byte(0);
  w.byte(0x7a); // status = 15: Status { message = 2, code = 3 }
  const status = w.fork(1);
  if (s.status.message) {
    w.byte(0x12);
    w.string(s.status.message);
  }
  w.byte(0x18);
  w.uint32(s.status.code);
  w.join(status, 1);
  if (s.flags) {
    w.byte(0x85); // flags = 16, fixed32: a two-byte tag
    w.byte(0x01);
    w.fixed32(s.flags);
  }
}

function writeEvent(w: ProtoWriter, e: SpanEvent): void {
  w.byte(0x09); // time_unix_nano = 1
  w.fixed64(e.timeUnixNano);
  w.byte(0x12); // name = 2
  w.string(e.name);
  writeAttributes(w, 0x1a, e.attributes); // attributes = 3
  w.byte(0x20); // dropped_attributes_count = 4
  w.byte(0);
}

// The model has no link flags, so flags = 6 is never written; the transformer always writes it
// (0x100, "is-remote known") from the SDK's SpanContext. Absent is correct per the spec: unknown.
function writeLink(w: ProtoWriter, l: SpanLink): void {
  w.byte(0x0a); // trace_id = 1
  w.bytes(l.traceId);
  w.byte(0x12); // span_id = 2
  w.bytes(l.spanId);
  if (l.traceState) {
    w.byte(0x1a); // trace_state = 3
    w.string(l.traceState);
  }
  writeAttributes(w, 0x22, l.attributes); // attributes = 4
  w.byte(0x28); // dropped_attributes_count = 5
  w.byte(0);
}
