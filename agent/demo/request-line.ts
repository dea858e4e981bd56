// One exported access record as the demo prints it: who called whom, what, the outcome and as which
// user, read only from the attributes mesh_parse wrote (docs/attributes.md), never from the body;
// the tenant rbac assigned, and the path with its query as exported (after redact masked it).
import type { ExportedAttributes } from './export-tail.ts';

export interface DemoRequest {
  direction: 'inbound' | 'outbound' | undefined;
  source: string;
  destination: string;
  method: string;
  /** `url.path` and `url.query` as exported: a leaked token shows as `[REDACTED:query_secret]`. */
  path: string;
  /** `meshtail.tenant`, from the rbac policy. */
  tenant: string | undefined;
  status: number | undefined;
  user: string | undefined;
  /** Response flags and why Envoy refused, when it did: `UH`, `rbac default/deny-ratings`. */
  note: string | undefined;
  denied: boolean;
  /** The path or query held something redact masked. */
  masked: boolean;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const SPIFFE = /\/ns\/([^/]+)\/sa\/([^/]+)$/;

/** Undefined for records that are not requests (proxy log lines, lines that did not parse). */
export function requestOf(a: ExportedAttributes): DemoRequest | undefined {
  if (a['meshtail.log.kind'] !== 'access') return undefined;
  const direction = a['mesh.direction'];
  const flags = Array.isArray(a['envoy.response_flags']) ? (a['envoy.response_flags'] as string[]) : [];
  const cause = str(a['meshtail.denial.cause']);
  const policy = str(a['meshtail.denial.policy']);
  const query = str(a['url.query']);
  const path = `${str(a['url.path']) ?? '-'}${query ? `?${query}` : ''}`;
  const note = [...flags, ...(cause ? [policy ? `${cause} ${policy}` : cause] : [])].join(' ');
  return {
    direction: direction === 'inbound' || direction === 'outbound' ? direction : undefined,
    source: sourceOf(a),
    destination:
      str(a['mesh.destination.service']) ??
      str(a['mesh.destination.workload']) ??
      str(a['server.address']) ??
      '?',
    method: str(a['http.request.method']) ?? '-',
    path,
    tenant: str(a['meshtail.tenant']),
    status: typeof a['http.response.status_code'] === 'number' ? a['http.response.status_code'] : undefined,
    user: str(a['user.id']),
    note: note || undefined,
    denied: cause !== undefined && cause !== 'route_not_found',
    masked: path.includes('[REDACTED:'),
  };
}

/**
 * The caller: its workload when the caller's own proxy wrote the line (outbound); on the callee's
 * side only the identity it proved in mTLS is known, shown as `<namespace>/<service account>`.
 * k8s_metadata would name the workload from the peer's IP, but it needs an API server.
 */
function sourceOf(a: ExportedAttributes): string {
  const workload = str(a['mesh.source.workload']);
  if (workload) return workload;
  const m = SPIFFE.exec(str(a['mesh.source.principal']) ?? '');
  if (m) return `${m[1]}/${m[2]}`;
  return str(a['client.address']) ?? str(a['source.address']) ?? '?';
}

/** `productpage-v1 → reviews  GET /reviews/0  200  tenant=bookinfo  user=jason  [UF]` */
export function formatRequest(r: DemoRequest): string {
  const note = r.note ? `  [${r.note}]` : '';
  return (
    `${r.source} → ${r.destination}  ${r.method} ${r.path}  ${r.status ?? '-'}  ` +
    `tenant=${r.tenant ?? '-'}  user=${r.user ?? '-'}${note}`
  );
}
