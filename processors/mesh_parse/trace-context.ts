// Trace context from the request headers a format logs: W3C `traceparent`, B3 single `b3`, or
// B3 multi `x-b3-traceid`/`x-b3-spanid` (64-bit B3 trace ids are left-padded to 128 bits).
import type { LogRecord } from '../../agent/kit/record/record.ts';
import type { Fields } from './field-key.ts';

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export function addTraceContext(r: LogRecord, f: Fields): void {
  const x = f.extra;
  if (!x) return;
  const tp = x.get('req:traceparent');
  if (typeof tp === 'string') {
    const m = TRACEPARENT.exec(tp.trim().toLowerCase());
    if (m && set(r, m[1]!, m[2]!)) {
      r.flags = Number.parseInt(m[3]!, 16) & 1;
      return;
    }
  }
  const b3 = x.get('req:b3');
  if (typeof b3 === 'string') {
    const [trace, span] = b3.trim().toLowerCase().split('-');
    if (trace && span && set(r, trace, span)) return;
  }
  const trace = x.get('req:x-b3-traceid');
  if (typeof trace === 'string') {
    const span = x.get('req:x-b3-spanid');
    set(r, trace.toLowerCase(), typeof span === 'string' ? span.toLowerCase() : undefined);
  }
}

function set(r: LogRecord, trace: string, span: string | undefined): boolean {
  if (!/^[0-9a-f]{16}([0-9a-f]{16})?$/.test(trace) || /^0+$/.test(trace)) return false;
  r.traceId = Buffer.from(trace.padStart(32, '0'), 'hex');
  if (span && /^[0-9a-f]{16}$/.test(span) && !/^0+$/.test(span)) r.spanId = Buffer.from(span, 'hex');
  return true;
}
