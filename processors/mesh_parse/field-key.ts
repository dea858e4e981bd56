// One vocabulary for what a log entry said, whatever the format: Envoy command operators and the keys
// of Istio's JSON format both map to these canonical field keys, and one mapper turns them into
// attributes (access-record.ts). Headers are `req:<name>`/`resp:<name>`, dynamic metadata
// `dm:<namespace>:<path>`, any other operator or JSON key `op:<name>`.

/**
 * What one entry said, by canonical key. Values are as logged: strings, or JSON's numbers and null.
 * A class with every known key declared, so all entries share one shape and reads and writes stay
 * monomorphic: a plain object grown key by key made the attribute mapping 4x slower (bench/).
 */
export class Fields {
  start_time: unknown = undefined;
  method: unknown = undefined;
  path: unknown = undefined;
  protocol: unknown = undefined;
  code: unknown = undefined;
  flags: unknown = undefined;
  details: unknown = undefined;
  termination: unknown = undefined;
  transport_failure: unknown = undefined;
  bytes_received: unknown = undefined;
  bytes_sent: unknown = undefined;
  duration: unknown = undefined;
  upstream_service_time: unknown = undefined;
  xff: unknown = undefined;
  user_agent: unknown = undefined;
  request_id: unknown = undefined;
  authority: unknown = undefined;
  upstream_host: unknown = undefined;
  upstream_cluster: unknown = undefined;
  upstream_local: unknown = undefined;
  downstream_local: unknown = undefined;
  downstream_remote: unknown = undefined;
  downstream_peer_uri: unknown = undefined;
  upstream_peer_uri: unknown = undefined;
  downstream_local_uri: unknown = undefined;
  sni: unknown = undefined;
  route: unknown = undefined;
  mixer_status: unknown = undefined;
  grpc_status: unknown = undefined;
  /** Set by parsers that know it (Linkerd, ztunnel); otherwise derived from the cluster name. */
  direction: unknown = undefined;
  /** Linkerd's client identity. */
  client_id: unknown = undefined;
  /** Headers (`req:`/`resp:`), dynamic metadata (`dm:`) and other operators (`op:`). */
  extra: Map<string, unknown> | undefined = undefined;
}

const KNOWN = new Set(Object.keys(new Fields()).filter((k) => k !== 'extra'));

export function isKnownField(key: string): boolean {
  return KNOWN.has(key);
}

export function setField(f: Fields, key: string, value: unknown): void {
  if (KNOWN.has(key)) (f as unknown as Record<string, unknown>)[key] = value;
  else addExtra(f, key, value);
}

export function addExtra(f: Fields, key: string, value: unknown): void {
  if (f.extra) f.extra.set(key, value);
  else f.extra = new Map([[key, value]]);
}

export function getField(f: Fields, key: string): unknown {
  return KNOWN.has(key) ? (f as unknown as Record<string, unknown>)[key] : f.extra?.get(key);
}

const OPERATORS: Record<string, string> = {
  START_TIME: 'start_time',
  PROTOCOL: 'protocol',
  RESPONSE_CODE: 'code',
  RESPONSE_FLAGS: 'flags',
  RESPONSE_FLAGS_LONG: 'flags',
  RESPONSE_CODE_DETAILS: 'details',
  CONNECTION_TERMINATION_DETAILS: 'termination',
  UPSTREAM_TRANSPORT_FAILURE_REASON: 'transport_failure',
  BYTES_RECEIVED: 'bytes_received',
  BYTES_SENT: 'bytes_sent',
  DURATION: 'duration',
  UPSTREAM_HOST: 'upstream_host',
  UPSTREAM_CLUSTER: 'upstream_cluster',
  UPSTREAM_CLUSTER_RAW: 'upstream_cluster',
  UPSTREAM_LOCAL_ADDRESS: 'upstream_local',
  DOWNSTREAM_LOCAL_ADDRESS: 'downstream_local',
  DOWNSTREAM_REMOTE_ADDRESS: 'downstream_remote',
  DOWNSTREAM_PEER_URI_SAN: 'downstream_peer_uri',
  UPSTREAM_PEER_URI_SAN: 'upstream_peer_uri',
  DOWNSTREAM_LOCAL_URI_SAN: 'downstream_local_uri',
  REQUESTED_SERVER_NAME: 'sni',
  ROUTE_NAME: 'route',
  GRPC_STATUS: 'grpc_status',
  GRPC_STATUS_NUMBER: 'grpc_status',
};

const REQUEST_HEADERS: Record<string, string> = {
  ':method': 'method',
  ':path': 'path',
  'x-envoy-original-path': 'path',
  ':authority': 'authority',
  host: 'authority',
  'x-envoy-original-host': 'authority',
  'x-forwarded-for': 'xff',
  'user-agent': 'user_agent',
  'x-request-id': 'request_id',
};

/** `REQ(X-ENVOY-ORIGINAL-PATH?:PATH)` → `path`; `DYNAMIC_METADATA(ns:a:b)` → `dm:ns:a.b`. */
export function operatorKey(name: string, arg: string | undefined): string {
  if (arg === undefined || name === 'START_TIME') return OPERATORS[name] ?? `op:${name.toLowerCase()}`;
  if (name === 'REQ' || name === 'REQ_WITHOUT_QUERY') return headerKey('req', arg.split('?')[0]!);
  if (name === 'RESP') {
    const header = arg.split('?')[0]!.toLowerCase();
    return header === 'x-envoy-upstream-service-time' ? 'upstream_service_time' : `resp:${header}`;
  }
  if (name === 'DYNAMIC_METADATA') {
    const [ns, ...path] = arg.split(':');
    return ns === 'istio.mixer' && path[0] === 'status' ? 'mixer_status' : `dm:${ns}:${path.join('.')}`;
  }
  return OPERATORS[name] ?? `op:${name.toLowerCase()}`;
}

export function headerKey(prefix: 'req' | 'resp', header: string): string {
  const h = header.toLowerCase();
  return (prefix === 'req' && REQUEST_HEADERS[h]) || `${prefix}:${h}`;
}

// Istio's default JSON keys (EnvoyJSONLogFormatIstio, pilot/pkg/model/telemetry_logging.go) and the
// ones Istio's older JSON format and common custom formats add.
const JSON_KEYS: Record<string, string> = {
  start_time: 'start_time',
  method: 'method',
  path: 'path',
  protocol: 'protocol',
  response_code: 'code',
  response_flags: 'flags',
  response_code_details: 'details',
  connection_termination_details: 'termination',
  upstream_transport_failure_reason: 'transport_failure',
  bytes_received: 'bytes_received',
  bytes_sent: 'bytes_sent',
  duration: 'duration',
  upstream_service_time: 'upstream_service_time',
  x_forwarded_for: 'xff',
  user_agent: 'user_agent',
  request_id: 'request_id',
  authority: 'authority',
  upstream_host: 'upstream_host',
  upstream_cluster: 'upstream_cluster',
  upstream_local_address: 'upstream_local',
  downstream_local_address: 'downstream_local',
  downstream_remote_address: 'downstream_remote',
  requested_server_name: 'sni',
  route_name: 'route',
  istio_policy_status: 'mixer_status',
  grpc_status: 'grpc_status',
  downstream_peer_uri_san: 'downstream_peer_uri',
  upstream_peer_uri_san: 'upstream_peer_uri',
  trace_id: 'req:x-b3-traceid',
  traceparent: 'req:traceparent',
};

// Request headers a custom JSON format commonly logs under their own name.
const HEADER_NAMES = new Set([
  'authorization',
  'cookie',
  'referer',
  'origin',
  'traceparent',
  'tracestate',
  'b3',
]);

/** The canonical key of a JSON access-log key that no declared format explains. */
export function jsonKey(key: string): string {
  const known = JSON_KEYS[key];
  if (known) return known;
  const lower = key.toLowerCase();
  if (HEADER_NAMES.has(lower) || /^[a-z0-9]+(-[a-z0-9]+)+$/.test(lower)) return headerKey('req', lower);
  return `op:${key}`;
}
