// Trace and span ids for an access record (docs/traces-and-metrics.md#ids).
//
// - Trace id: the propagated one (traceparent, B3) when logged; else the first 16 bytes of
//   SHA-256("meshtail.trace\n" + x-request-id), which both proxies of a hop (and every hop of a
//   request: Envoy propagates the id) compute alike; else a hash of the record itself (one-span trace).
// - Hop key: x-request-id (else the propagated span id), destination service, method and path: what
//   the caller's outbound and the callee's inbound record of one call both log.
// - Span id: the first 8 bytes of SHA-256(kind + "\n" + trace id + "\n" + hop key), so the inbound
//   (server) span's parent is the caller's outbound (client) span without any shared state.
// - Client span's parent: the propagated span id when logged (the app's span that made the call).
import { createHash } from 'node:crypto';
import type { Attributes, LogRecord } from '../../agent/kit/record/record.ts';

export interface SpanIds {
  traceId: Uint8Array;
  spanId: Uint8Array;
  parentSpanId?: Uint8Array;
}

const sha = (text: string): Buffer => createHash('sha256').update(text).digest();

export function requestId(a: Attributes): string | undefined {
  const v = a['http.request.header.x-request-id'];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function traceIdOf(r: LogRecord): Uint8Array {
  if (r.traceId) return r.traceId;
  const rid = requestId(r.attributes);
  if (rid !== undefined) return sha(`meshtail.trace\n${rid}`).subarray(0, 16);
  return sha(`meshtail.record\n${r.timeUnixNano}\n${String(r.body)}`).subarray(0, 16);
}

export function hopKey(r: LogRecord): string {
  const a = r.attributes;
  const id =
    requestId(a) ??
    (r.spanId ? Buffer.from(r.spanId).toString('hex') : `${r.timeUnixNano}\n${String(r.body)}`);
  const dest = a['mesh.destination.service'] ?? a['server.address'] ?? '';
  return `${id}\n${String(dest)}\n${String(a['http.request.method'] ?? '')}\n${String(a['url.path'] ?? '')}`;
}

export function spanIdFor(kind: 'client' | 'server', traceId: Uint8Array, hop: string): Uint8Array {
  return sha(`${kind}\n${Buffer.from(traceId).toString('hex')}\n${hop}`).subarray(0, 8);
}

export function spanIds(r: LogRecord, server: boolean): SpanIds {
  const traceId = traceIdOf(r);
  const hop = hopKey(r);
  if (server) {
    return {
      traceId,
      spanId: spanIdFor('server', traceId, hop),
      parentSpanId: spanIdFor('client', traceId, hop),
    };
  }
  const ids: SpanIds = { traceId, spanId: spanIdFor('client', traceId, hop) };
  if (r.spanId) ids.parentSpanId = r.spanId;
  return ids;
}

/** Keeps a trace when its random bits (the last 7 bytes, W3C level 2) fall under the ratio. */
export function sampled(traceId: Uint8Array, ratio: number): boolean {
  if (ratio >= 1) return true;
  if (ratio <= 0) return false;
  let v = 0;
  for (let i = 9; i < 16; i++) v = v * 256 + (traceId[i] ?? 0);
  return v < ratio * 2 ** 56;
}
