// Turns the canonical fields of one access-log entry (field-key.ts) into the record: attributes
// named as in DESIGN.md's Records table, time, severity from the outcome, trace context.

import { UPSTREAM_FAILURE_FLAGS } from '../../agent/kit/record/envoy-flags.ts';
import type { Attributes, LogRecord } from '../../agent/kit/record/record.ts';
import { type Address, isLoopback, readAddress } from './address.ts';
import { addDenialCause } from './denial-cause.ts';
import type { Fields } from './field-key.ts';
import { GRPC_CODES } from './grpc-status.ts';
import { Recent } from './recent.ts';
import { parseResponseFlags } from './response-flags.ts';
import { parseTimestampNs } from './timestamp.ts';
import { addTraceContext } from './trace-context.ts';

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
    a['url.path'] = q < 0 ? path : urlPath.of(path.slice(0, q));
    if (q >= 0) a['url.query'] = path.slice(q + 1);
  }
  if (protocol !== undefined && protocol !== 'tcp') {
    if (protocol !== lastProtocol) {
      const slash = protocol.indexOf('/');
      protocolName = (slash < 0 ? protocol : protocol.slice(0, slash)).toLowerCase();
      protocolVersion = slash < 0 ? undefined : protocol.slice(slash + 1);
      lastProtocol = protocol;
    }
    a['network.protocol.name'] = protocolName;
    if (protocolVersion !== undefined) a['network.protocol.version'] = protocolVersion;
  }
  if (tcp) a['network.transport'] = 'tcp';
  const code = num(f.code) ?? 0;
  if (!tcp) a['http.response.status_code'] = code;
  const received = num(f.bytes_received);
  const sent = num(f.bytes_sent);
  // Literal keys (named stores) keep the record's attributes out of dictionary mode (access-labels.ts).
  if (received !== undefined) {
    if (tcp) a['envoy.bytes_received'] = received;
    else a['http.request.body.size'] = received;
  }
  if (sent !== undefined) {
    if (tcp) a['envoy.bytes_sent'] = sent;
    else a['http.response.body.size'] = sent;
  }

  const flagText = str(f.flags);
  const flags = flagText === undefined ? undefined : parseResponseFlags(flagText);
  if (flags && flags.length > 0) a['envoy.response_flags'] = flags;

  const authority = str(f.authority);
  if (authority !== undefined) {
    readAddress(authority, address);
    // an authority without an IP host is the host
    a['server.address'] = address.host === undefined ? authority : serverHost.of(address.host);
    if (address.port !== undefined) a['server.port'] = address.port;
  }
  addAddresses(a, f);
  const grpc = str(f.grpc_status);
  if (grpc !== undefined) {
    const n = /^\d+$/.test(grpc) ? Number(grpc) : GRPC_CODES[grpc];
    if (n !== undefined) a['rpc.grpc.status_code'] = n;
  }

  // Literal keys, in one order: named stores keep fast properties where computed keys made a dictionary.
  let v = str(f.details);
  if (v !== undefined) a['envoy.response_code_details'] = v;
  v = str(f.termination);
  if (v !== undefined) a['envoy.connection_termination_details'] = v;
  v = str(f.transport_failure);
  if (v !== undefined) a['envoy.upstream_transport_failure_reason'] = v;
  let n = num(f.duration);
  if (n !== undefined) a['envoy.duration_ms'] = n;
  n = num(f.upstream_service_time);
  if (n !== undefined) a['envoy.upstream_service_time_ms'] = n;
  v = str(f.xff);
  if (v !== undefined) a['http.request.header.x-forwarded-for'] = v;
  v = str(f.user_agent);
  if (v !== undefined) a['user_agent.original'] = v;
  v = str(f.request_id);
  if (v !== undefined) a['http.request.header.x-request-id'] = v;
  v = str(f.upstream_host);
  if (v !== undefined) a['envoy.upstream_host'] = v;
  v = str(f.upstream_cluster);
  if (v !== undefined) a['envoy.upstream_cluster'] = v;
  v = str(f.upstream_local);
  if (v !== undefined) a['envoy.upstream_local_address'] = v;
  v = str(f.downstream_local);
  if (v !== undefined) a['envoy.downstream_local_address'] = v;
  v = str(f.sni);
  if (v !== undefined) a['envoy.requested_server_name'] = v;
  v = str(f.route);
  if (v !== undefined) a['envoy.route_name'] = v;
  v = str(f.mixer_status);
  if (v !== undefined) a['envoy.mixer_status'] = v;
  if (f.extra) addExtras(a, f.extra);
  addDenialCause(a, str(f.details), str(f.termination), flags, str(f.mixer_status));
  addTraceContext(r, f);

  const failed = flags?.some((x) => UPSTREAM_FAILURE_FLAGS.has(x)) ?? false;
  if (code >= 500 || failed) {
    r.severityNumber = 17;
    r.severityText = 'ERROR';
  } else if (code >= 400) {
    r.severityNumber = 13;
    r.severityText = 'WARN';
  } else {
    r.severityNumber = 9;
    r.severityText = 'INFO';
  }
}

// The last protocol's name and version: nearly every line repeats it, and the slices and
// lower-casing were three strings per record (bench/RESULTS.md, session 30).
let lastProtocol = '';
let protocolName = '';
let protocolVersion: string | undefined;

const serverHost = new Recent();
const sourceHost = new Recent();
const destinationHost = new Recent();
const urlPath = new Recent();

// One scratch for readAddress: mesh_parse runs synchronously, one record at a time per thread.
const address: Address = { host: undefined, port: undefined };

function addAddresses(a: Attributes, f: Fields): void {
  const remote = str(f.downstream_remote);
  const xff = str(f.xff);
  const first = xff === undefined ? undefined : xff.split(',')[0]!.trim();
  let remoteHost: string | undefined;
  let remotePort: number | undefined;
  if (remote !== undefined) {
    readAddress(remote, address);
    remoteHost = address.host === undefined ? undefined : sourceHost.of(address.host);
    remotePort = address.port;
  }
  const client = first || remoteHost;
  if (client) a['client.address'] = client;
  if (remote !== undefined) {
    if (remoteHost !== undefined) a['source.address'] = remoteHost;
    if (remotePort !== undefined) a['source.port'] = remotePort;
  }
  // The endpoint Envoy sent to, unless it is the sidecar's own loopback hop to the app.
  const upstream = str(f.upstream_host);
  let dest: string | undefined;
  if (upstream !== undefined) readAddress(upstream, address);
  if (upstream !== undefined && address.host !== undefined && !isLoopback(address.host)) dest = upstream;
  else {
    dest = str(f.downstream_local);
    if (dest !== undefined) readAddress(dest, address);
  }
  if (dest !== undefined) {
    if (address.host !== undefined) a['destination.address'] = destinationHost.of(address.host);
    if (address.port !== undefined) a['destination.port'] = address.port;
  }
}

// Attribute names of extra fields, built once per key rather than per line.
const EXTRA_NAMES = new Map<string, string | undefined>();

function addExtras(a: Attributes, extra: Map<string, unknown>): void {
  for (const [key, value] of extra) {
    let name = EXTRA_NAMES.get(key);
    if (name === undefined && !EXTRA_NAMES.has(key)) {
      name = extraName(key);
      if (EXTRA_NAMES.size < 10_000) EXTRA_NAMES.set(key, name);
    }
    if (name === undefined || a[name] !== undefined) continue;
    const v = value2(value);
    if (v !== undefined) a[name] = v;
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
