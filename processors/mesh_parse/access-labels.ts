// Who called whom: direction and destination from Istio's cluster names (`outbound|port|subset|fqdn`,
// `inbound|port||`) and inbound SNI (`outbound_.port_.subset_.fqdn`), principals from SPIFFE URIs
// (`spiffe://td/ns/<ns>/sa/<sa>`) or Linkerd identities (`<sa>.<ns>.serviceaccount.identity.linkerd.<td>`),
// and the local side from the pod whose file the line came from.
import type { Attributes } from '../../agent/kit/record/record.ts';
import { digitsIn } from './digits.ts';
import type { Fields } from './field-key.ts';
import { Recent } from './recent.ts';

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
    // Read in place (indexOf, no split): the array and its four strings were garbage on every record.
    const p1 = cluster.startsWith('outbound|') ? 8 : cluster.startsWith('inbound|') ? 7 : -1;
    const p2 = p1 < 0 ? -1 : cluster.indexOf('|', p1 + 1);
    const p3 = p2 < 0 ? -1 : cluster.indexOf('|', p2 + 1);
    if (p3 >= 0 && cluster.indexOf('|', p3 + 1) < 0) {
      const outbound = p1 === 8;
      direction ??= outbound ? 'outbound' : 'inbound';
      const port = (digitsIn(cluster, p1 + 1, p2, 9) ?? Number(cluster.slice(p1 + 1, p2))) || undefined;
      if (port !== undefined && a['mesh.destination.port'] === undefined) a['mesh.destination.port'] = port;
      // Before 1.10 inbound clusters were `inbound|port|<port name>|fqdn`: no subset there.
      if (outbound && p3 > p2 + 1 && a['mesh.destination.subset'] === undefined)
        a['mesh.destination.subset'] = cluster.slice(p2 + 1, p3);
      if (p3 + 1 < cluster.length) service(a, cluster, p3 + 1);
    } else if (cluster.startsWith('InboundPassthroughCluster')) direction ??= 'inbound';
    else if (cluster === 'PassthroughCluster' || cluster === 'BlackHoleCluster') direction ??= 'outbound';
  }
  if (direction === 'inbound' && typeof f.sni === 'string') {
    const m = SNI.exec(f.sni);
    if (m) {
      if (a['mesh.destination.port'] === undefined) a['mesh.destination.port'] = Number(m[1]);
      if (m[2] && a['mesh.destination.subset'] === undefined) a['mesh.destination.subset'] = m[2];
      service(a, m[3]!, 0);
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

/** The service (and namespace) of the FQDN that starts at `from` in `s` and runs to its end. */
function service(a: Attributes, s: string, from: number): void {
  const svc = s.indexOf('.svc.', from);
  if (svc > from) {
    const dot = s.indexOf('.', from);
    if (a['mesh.destination.service'] === undefined)
      a['mesh.destination.service'] = serviceName.of(s.slice(from, dot));
    if (dot < svc && a['mesh.destination.namespace'] === undefined)
      a['mesh.destination.namespace'] = serviceNamespace.of(s.slice(dot + 1, svc));
  } else if (a['mesh.destination.service'] === undefined)
    a['mesh.destination.service'] = from === 0 ? s : serviceName.of(s.slice(from));
}

const serviceName = new Recent();
const serviceNamespace = new Recent();

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
