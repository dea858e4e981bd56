// One HTTP access record as a span, attributes per the OTel HTTP semantic conventions plus the
// mesh's access labels. Status ERROR for a 5xx or an upstream failure flag.
import { UPSTREAM_FAILURE_FLAGS } from '../../agent/kit/record/envoy-flags.ts';
import type { Attributes, LogRecord, Span } from '../../agent/kit/record/record.ts';
import { SpanKind } from '../../agent/kit/record/record.ts';
import type { RouteMatcher } from './routes.ts';
import { spanIds } from './span-ids.ts';

/** Copied as they are when present: the HTTP conventions and Envoy's detail. */
const COPIED = [
  'http.request.method',
  'url.path',
  'url.query',
  'http.response.status_code',
  'server.address',
  'server.port',
  'network.protocol.name',
  'network.protocol.version',
  'user_agent.original',
  'client.address',
  'source.address',
  'source.port',
  'destination.address',
  'destination.port',
  'http.request.body.size',
  'http.response.body.size',
  'http.request.header.x-request-id',
  'rpc.grpc.status_code',
  'user.id',
  'envoy.response_flags',
  'envoy.response_code_details',
  'envoy.upstream_cluster',
  'envoy.route_name',
  'envoy.upstream_transport_failure_reason',
  'meshtail.denial.cause',
  'meshtail.denial.policy',
  'meshtail.tenant',
] as const;

export function isHttpAccess(a: Attributes): boolean {
  return typeof a['http.request.method'] === 'string' && a['http.response.status_code'] !== undefined;
}

export function toSpan(r: LogRecord, routes: RouteMatcher): Span {
  const a = r.attributes;
  const server = a['mesh.direction'] !== 'outbound';
  const method = String(a['http.request.method']);
  const attributes: Attributes = {};
  for (const k of COPIED) if (a[k] !== undefined) attributes[k] = a[k];
  for (const k in a) if (k.startsWith('mesh.')) attributes[k] = a[k]!;
  const route = typeof a['http.route'] === 'string' ? a['http.route'] : routes(String(a['url.path'] ?? ''));
  if (route !== undefined) attributes['http.route'] = route;

  const ms = Number(a['envoy.duration_ms'] ?? 0);
  const durationNs = Number.isFinite(ms) && ms > 0 ? BigInt(Math.round(ms * 1e6)) : 0n;
  const error = errorType(a);
  if (error !== undefined) attributes['error.type'] = error;
  const ids = spanIds(r, server);
  const span: Span = {
    traceId: ids.traceId,
    spanId: ids.spanId,
    name: route !== undefined ? `${method} ${route}` : method,
    kind: server ? SpanKind.server : SpanKind.client,
    startTimeUnixNano: r.timeUnixNano,
    endTimeUnixNano: r.timeUnixNano + durationNs,
    attributes,
    events: [],
    links: [],
    status: error !== undefined ? { code: 2, message: error } : { code: 0 },
  };
  if (ids.parentSpanId) span.parentSpanId = ids.parentSpanId;
  if (r.flags !== undefined) span.flags = r.flags;
  return span;
}

/** The status code for a 5xx, else the first upstream failure flag; undefined when not an error. */
export function errorType(a: Attributes): string | undefined {
  const code = Number(a['http.response.status_code']);
  if (code >= 500) return String(code);
  const flags = a['envoy.response_flags'];
  if (Array.isArray(flags))
    for (const f of flags) if (typeof f === 'string' && UPSTREAM_FAILURE_FLAGS.has(f)) return f;
  return undefined;
}
