// Who called whom: direction and destination from Istio's cluster names (`outbound|port|subset|fqdn`,
// `inbound|port||`) and inbound SNI (`outbound_.port_.subset_.fqdn`), principals from SPIFFE URIs
// (`spiffe://td/ns/<ns>/sa/<sa>`) or Linkerd identities (`<sa>.<ns>.serviceaccount.identity.linkerd.<td>`),
// and the local side from the pod whose file the line came from.
import type { Attributes } from '../../agent/kit/record/record.ts';
import type { Fields } from './field-key.ts';

export interface LocalWorkload {
  workload: string;
  namespace?: string;
}

const SNI = /^outbound_\.(\d+)_\.([^_]*)_\.(.+)$/;
const SPIFFE = /^spiffe:\/\/[^/]+\/ns\/([^/]+)\/sa\/([^/]+)$/;
const LINKERD_ID = /^([^.]+)\.([^.]+)\.serviceaccount\.identity\.linkerd\./;

export function addAccessLabels(
  a: Attributes,
  f: Fields,
  local: LocalWorkload | undefined,
  istio: boolean,
): void {
  const cluster = typeof f.upstream_cluster === 'string' ? f.upstream_cluster : undefined;
  // Istio routes every inbound request to an inbound cluster: no cluster at all (NR) means outbound.
  let direction = typeof f.direction === 'string' ? f.direction : !cluster && istio ? 'outbound' : undefined;
  if (cluster) {
    const parts = cluster.split('|');
    if (parts.length === 4 && (parts[0] === 'inbound' || parts[0] === 'outbound')) {
      direction ??= parts[0];
      put(a, 'mesh.destination.port', Number(parts[1]) || undefined);
      // Before 1.10 inbound clusters were `inbound|port|<port name>|fqdn`: no subset there.
      if (parts[0] === 'outbound') put(a, 'mesh.destination.subset', parts[2] || undefined);
      if (parts[3]) service(a, parts[3]);
    } else if (cluster.startsWith('InboundPassthroughCluster')) direction ??= 'inbound';
    else if (cluster === 'PassthroughCluster' || cluster === 'BlackHoleCluster') direction ??= 'outbound';
  }
  if (direction === 'inbound' && typeof f.sni === 'string') {
    const m = SNI.exec(f.sni);
    if (m) {
      put(a, 'mesh.destination.port', Number(m[1]));
      put(a, 'mesh.destination.subset', m[2] || undefined);
      service(a, m[3]!);
    }
  }
  if (direction) a['mesh.direction'] = direction;

  principal(a, 'mesh.source', f.downstream_peer_uri ?? f.client_id);
  principal(
    a,
    'mesh.destination',
    f.upstream_peer_uri ?? (direction === 'inbound' ? f.downstream_local_uri : undefined),
  );

  if (local && direction) {
    const side = direction === 'inbound' ? 'mesh.destination' : 'mesh.source';
    put(a, `${side}.workload`, local.workload);
    put(a, `${side}.namespace`, local.namespace);
  }
}

/** Record names the `required` list asks for and the record lacks. */
export function missingLabels(a: Attributes, required: readonly string[]): string[] | undefined {
  let missing: string[] | undefined;
  for (const name of required) {
    if (a[name] !== undefined && a[name] !== '') continue;
    missing ??= [];
    missing.push(name);
  }
  return missing;
}

function service(a: Attributes, fqdn: string): void {
  const svc = fqdn.indexOf('.svc.');
  if (svc > 0) {
    const dot = fqdn.indexOf('.');
    put(a, 'mesh.destination.service', fqdn.slice(0, dot));
    if (dot < svc) put(a, 'mesh.destination.namespace', fqdn.slice(dot + 1, svc));
  } else put(a, 'mesh.destination.service', fqdn);
}

function principal(a: Attributes, side: string, uri: unknown): void {
  if (typeof uri !== 'string' || uri === '' || uri === '-') return;
  // A certificate may carry several URI SANs, Envoy joins them with commas.
  const id = uri.split(',')[0]!.trim();
  put(a, `${side}.principal`, id);
  const m = SPIFFE.exec(id);
  if (m) put(a, `${side}.namespace`, m[1]);
  else {
    const l = LINKERD_ID.exec(id);
    if (l) put(a, `${side}.namespace`, l[2]);
  }
}

function put(a: Attributes, key: string, value: string | number | undefined): void {
  if (value !== undefined && a[key] === undefined) a[key] = value;
}
