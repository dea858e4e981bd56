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

// Every store below names its key literally: a store through a computed key (a[name]) that adds a
// property makes V8 turn a record's ~33 attributes into a dictionary past 12 such properties, and the
// encoder's enumeration and reads of a dictionary cost ~2x (bench/RESULTS.md, "mesh_parse record shape").
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
      const port = Number(parts[1]) || undefined;
      if (port !== undefined && a['mesh.destination.port'] === undefined) a['mesh.destination.port'] = port;
      // Before 1.10 inbound clusters were `inbound|port|<port name>|fqdn`: no subset there.
      const subset = parts[2];
      if (parts[0] === 'outbound' && subset && a['mesh.destination.subset'] === undefined)
        a['mesh.destination.subset'] = subset;
      if (parts[3]) service(a, parts[3]);
    } else if (cluster.startsWith('InboundPassthroughCluster')) direction ??= 'inbound';
    else if (cluster === 'PassthroughCluster' || cluster === 'BlackHoleCluster') direction ??= 'outbound';
  }
  if (direction === 'inbound' && typeof f.sni === 'string') {
    const m = SNI.exec(f.sni);
    if (m) {
      if (a['mesh.destination.port'] === undefined) a['mesh.destination.port'] = Number(m[1]);
      if (m[2] && a['mesh.destination.subset'] === undefined) a['mesh.destination.subset'] = m[2];
      service(a, m[3]!);
    }
  }
  if (direction) a['mesh.direction'] = direction;

  sourcePrincipal(a, f.downstream_peer_uri ?? f.client_id);
  destinationPrincipal(
    a,
    f.upstream_peer_uri ?? (direction === 'inbound' ? f.downstream_local_uri : undefined),
  );

  if (local && direction) {
    const ns = local.namespace;
    if (direction === 'inbound') {
      if (a['mesh.destination.workload'] === undefined) a['mesh.destination.workload'] = local.workload;
      if (ns !== undefined && a['mesh.destination.namespace'] === undefined)
        a['mesh.destination.namespace'] = ns;
    } else {
      if (a['mesh.source.workload'] === undefined) a['mesh.source.workload'] = local.workload;
      if (ns !== undefined && a['mesh.source.namespace'] === undefined) a['mesh.source.namespace'] = ns;
    }
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
    if (a['mesh.destination.service'] === undefined) a['mesh.destination.service'] = fqdn.slice(0, dot);
    if (dot < svc && a['mesh.destination.namespace'] === undefined)
      a['mesh.destination.namespace'] = fqdn.slice(dot + 1, svc);
  } else if (a['mesh.destination.service'] === undefined) a['mesh.destination.service'] = fqdn;
}

/** The first URI SAN (Envoy joins a certificate's several with commas) and the namespace in it. */
function principalOf(uri: unknown): { id: string; namespace: string | undefined } | undefined {
  if (typeof uri !== 'string' || uri === '' || uri === '-') return undefined;
  const id = uri.split(',')[0]!.trim();
  const m = SPIFFE.exec(id);
  if (m) return { id, namespace: m[1] };
  return { id, namespace: LINKERD_ID.exec(id)?.[2] };
}

function sourcePrincipal(a: Attributes, uri: unknown): void {
  const p = principalOf(uri);
  if (p === undefined) return;
  if (a['mesh.source.principal'] === undefined) a['mesh.source.principal'] = p.id;
  if (p.namespace !== undefined && a['mesh.source.namespace'] === undefined)
    a['mesh.source.namespace'] = p.namespace;
}

function destinationPrincipal(a: Attributes, uri: unknown): void {
  const p = principalOf(uri);
  if (p === undefined) return;
  if (a['mesh.destination.principal'] === undefined) a['mesh.destination.principal'] = p.id;
  if (p.namespace !== undefined && a['mesh.destination.namespace'] === undefined)
    a['mesh.destination.namespace'] = p.namespace;
}
