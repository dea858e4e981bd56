// ExportTraceServiceRequest, written straight from the batch, for both encodings.
import type { ResourceSpans, Span, SpanEvent, SpanLink } from '../record/record.ts';
import { writeAttributes, writeMessages, writeRequest } from './common.ts';
import type { OtlpSink } from './otlp-sink.ts';
import { SPAN, SPAN_EVENT, SPAN_LINK, STATUS, TRACES } from './shape.ts';

const SPAN_GUESS = 2;

export function writeTraces(s: OtlpSink, batches: readonly ResourceSpans[]): void {
  writeRequest(s, TRACES, batches, (b) => b.spans, writeSpan, SPAN_GUESS);
}

function writeSpan(s: OtlpSink, span: Span): void {
  s.id(SPAN.traceId, span.traceId);
  s.id(SPAN.spanId, span.spanId);
  if (span.traceState) s.string(SPAN.traceState, span.traceState);
  if (span.parentSpanId !== undefined && span.parentSpanId.length > 0)
    s.id(SPAN.parentSpanId, span.parentSpanId);
  s.string(SPAN.name, span.name);
  if (span.kind) s.uint32(SPAN.kind, span.kind);
  s.fixed64(SPAN.startTimeUnixNano, span.startTimeUnixNano);
  s.fixed64(SPAN.endTimeUnixNano, span.endTimeUnixNano);
  writeAttributes(s, SPAN.attributes, span.attributes);
  s.zero(SPAN.droppedAttributesCount);
  if (span.events.length > 0) writeMessages(s, SPAN.events, span.events, writeEvent, 1);
  s.zero(SPAN.droppedEventsCount);
  if (span.links.length > 0) writeMessages(s, SPAN.links, span.links, writeLink, 1);
  s.zero(SPAN.droppedLinksCount);
  const status = s.open(SPAN.status, 1);
  if (span.status.message) s.string(STATUS.message, span.status.message);
  s.uint32(STATUS.code, span.status.code);
  s.close(status, 1);
  if (span.flags) s.fixed32(SPAN.flags, span.flags);
}

function writeEvent(s: OtlpSink, e: SpanEvent): void {
  s.fixed64(SPAN_EVENT.timeUnixNano, e.timeUnixNano);
  s.string(SPAN_EVENT.name, e.name);
  writeAttributes(s, SPAN_EVENT.attributes, e.attributes);
  s.zero(SPAN_EVENT.droppedAttributesCount);
}

// The model has no link flags, so flags = 6 is never written; the transformer always writes it
// (0x100, "is-remote known") from the SDK's SpanContext. Absent is correct per the spec: unknown.
function writeLink(s: OtlpSink, l: SpanLink): void {
  s.id(SPAN_LINK.traceId, l.traceId);
  s.id(SPAN_LINK.spanId, l.spanId);
  if (l.traceState) s.string(SPAN_LINK.traceState, l.traceState);
  writeAttributes(s, SPAN_LINK.attributes, l.attributes);
  s.zero(SPAN_LINK.droppedAttributesCount);
}
