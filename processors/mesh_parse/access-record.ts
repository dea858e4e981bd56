// Turns the canonical fields of one access-log entry (field-key.ts) into the record: attributes
// named as in DESIGN.md's Records table, time, severity from the outcome, trace context.
import type { Attributes, LogRecord } from '../../agent/pipeline/record.ts';
import { authorityHost, hostOf, isLoopback, portOf } from './address.ts';
import { addDenialCause } from './denial-cause.ts';
import type { Fields } from './field-key.ts';
import { GRPC_CODES } from './grpc-status.ts';
import { parseResponseFlags, UPSTREAM_FAILURE_FLAGS } from './response-flags.ts';
import { parseTimestampNs } from './timestamp.ts';
import { addTraceContext } from './trace-context.ts';

const PLAIN: Record<string, string> = {
  details: 'envoy.response_code_details',
  termination: 'envoy.connection_termination_details',
  transport_failure: 'envoy.upstream_transport_failure_reason',
  upstream_cluster: 'envoy.upstream_cluster',
  route: 'envoy.route_name',
  sni: 'envoy.requested_server_name',
  upstream_host: 'envoy.upstream_host',
  upstream_local: 'envoy.upstream_local_address',
  downstream_local: 'envoy.downstream_local_address',
  mixer_status: 'envoy.mixer_status',
  user_agent: 'user_agent.original',
  request_id: 'http.request.header.x-request-id',
  xff: 'http.request.header.x-forwarded-for',
};
const NUMBERS: Record<string, string> = {
  duration: 'envoy.duration_ms',
  upstream_service_time: 'envoy.upstream_service_time_ms',
};
// Handled below, or access labels' input only.
const SKIP = new Set([
  'start_time',
  'method',
  'path',
  'protocol',
  'code',
  'flags',
  'bytes_received',
  'bytes_sent',
  'authority',
  'downstream_remote',
  'grpc_status',
  'downstream_peer_uri',
  'upstream_peer_uri',
  'downstream_local_uri',
  'direction',
  'client_id',
]);

export function applyAccessFields(r: LogRecord, f: Fields, format: string): void {
  const a = r.attributes;
  a['meshtail.log.kind'] = 'access';
  a['meshtail.log.format'] = format;
  const start = str(f.start_time);
  const t = start === undefined ? undefined : parseTimestampNs(start);
  if (t !== undefined) r.timeUnixNano = t;

  const method = str(f.method);
  const protocol = str(f.protocol);
  const tcp = method === undefined && (protocol === undefined || protocol === 'tcp');
  if (method !== undefined) a['http.request.method'] = method;
  const path = str(f.path);
  if (path !== undefined) {
    const q = path.indexOf('?');
    a['url.path'] = q < 0 ? path : path.slice(0, q);
    if (q >= 0) a['url.query'] = path.slice(q + 1);
  }
  if (protocol !== undefined && protocol !== 'tcp') {
    const slash = protocol.indexOf('/');
    a['network.protocol.name'] = (slash < 0 ? protocol : protocol.slice(0, slash)).toLowerCase();
    if (slash >= 0) a['network.protocol.version'] = protocol.slice(slash + 1);
  }
  if (tcp) a['network.transport'] = 'tcp';
  const code = num(f.code) ?? 0;
  if (!tcp) a['http.response.status_code'] = code;
  const received = num(f.bytes_received);
  const sent = num(f.bytes_sent);
  if (received !== undefined) a[tcp ? 'envoy.bytes_received' : 'http.request.body.size'] = received;
  if (sent !== undefined) a[tcp ? 'envoy.bytes_sent' : 'http.response.body.size'] = sent;

  const flagText = str(f.flags);
  const flags = flagText === undefined ? undefined : parseResponseFlags(flagText);
  if (flags && flags.length > 0) a['envoy.response_flags'] = flags;

  const authority = str(f.authority);
  if (authority !== undefined) {
    a['server.address'] = authorityHost(authority);
    const port = portOf(authority);
    if (port !== undefined) a['server.port'] = port;
  }
  addAddresses(a, f);
  const grpc = str(f.grpc_status);
  if (grpc !== undefined) {
    const n = /^\d+$/.test(grpc) ? Number(grpc) : GRPC_CODES[grpc];
    if (n !== undefined) a['rpc.grpc.status_code'] = n;
  }

  for (const key in f) {
    if (SKIP.has(key)) continue;
    const v = f[key];
    const name = PLAIN[key] ?? NUMBERS[key] ?? extraName(key);
    if (name === undefined || a[name] !== undefined) continue;
    const value = NUMBERS[key] ? num(v) : value2(v);
    if (value !== undefined) a[name] = value;
  }
  addDenialCause(a, str(f.details), str(f.termination), flags, str(f.mixer_status));
  addTraceContext(r, f);

  const failed = flags?.some((x) => UPSTREAM_FAILURE_FLAGS.has(x)) ?? false;
  const [n, text] = code >= 500 || failed ? [17, 'ERROR'] : code >= 400 ? [13, 'WARN'] : [9, 'INFO'];
  r.severityNumber = n;
  r.severityText = text;
}

function addAddresses(a: Attributes, f: Fields): void {
  const remote = str(f.downstream_remote);
  const xff = str(f.xff);
  const first = xff === undefined ? undefined : xff.split(',')[0]!.trim();
  const client = first || (remote === undefined ? undefined : hostOf(remote));
  if (client) a['client.address'] = client;
  if (remote !== undefined) {
    const host = hostOf(remote);
    if (host !== undefined) a['source.address'] = host;
    const port = portOf(remote);
    if (port !== undefined) a['source.port'] = port;
  }
  // The endpoint Envoy sent to, unless it is the sidecar's own loopback hop to the app.
  const upstream = str(f.upstream_host);
  const upstreamHost = upstream === undefined ? undefined : hostOf(upstream);
  const dest = upstreamHost !== undefined && !isLoopback(upstreamHost) ? upstream : str(f.downstream_local);
  if (dest !== undefined) {
    const host = hostOf(dest);
    if (host !== undefined) a['destination.address'] = host;
    const port = portOf(dest);
    if (port !== undefined) a['destination.port'] = port;
  }
}

function extraName(key: string): string | undefined {
  if (key.startsWith('req:')) return `http.request.header.${key.slice(4)}`;
  if (key.startsWith('resp:')) return `http.response.header.${key.slice(5)}`;
  if (key.startsWith('dm:')) return `envoy.dynamic_metadata.${key.slice(3)}`;
  if (key.startsWith('op:')) return `envoy.${key.slice(3)}`;
  return undefined;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'number') return String(v);
  return typeof v === 'string' && v !== '' && v !== '-' ? v : undefined;
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string' || v === '' || v === '-') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function value2(v: unknown): string | number | boolean | undefined {
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'string') return v === '' || v === '-' ? undefined : v;
  return v === null || v === undefined ? undefined : JSON.stringify(v);
}
