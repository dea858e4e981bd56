// Reads what the detectors need from one parsed access record (attribute names: docs/attributes.md).
import type { Attributes, AttributeValue } from '../../agent/kit/record/record.ts';

const DENIAL_CAUSES = new Set(['rbac', 'jwt', 'ext_authz', 'mixer']);
const UPSTREAM_FLAGS = new Set(['UH', 'UF', 'URX', 'UO']);

function str(v: AttributeValue | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The caller: its workload, else its SPIFFE principal, else the client address. */
export function sourceOf(a: Attributes): string {
  return (
    str(a['mesh.source.workload']) ?? str(a['mesh.source.principal']) ?? str(a['client.address']) ?? 'unknown'
  );
}

export function destinationOf(a: Attributes): string {
  return str(a['mesh.destination.service']) ?? str(a['server.address']) ?? 'unknown';
}

export function statusOf(a: Attributes): number {
  const s = a['http.response.status_code'];
  return typeof s === 'number' ? s : typeof s === 'bigint' ? Number(s) : 0;
}

/** 401/403, or a denial Envoy made itself (RBAC, JWT, ext_authz / UAEX). */
export function isDenied(a: Attributes, status: number, flags: readonly string[]): boolean {
  if (status === 401 || status === 403) return true;
  const cause = a['meshtail.denial.cause'];
  return (typeof cause === 'string' && DENIAL_CAUSES.has(cause)) || flags.includes('UAEX');
}

export function isNotFoundRoute(a: Attributes, status: number, flags: readonly string[]): boolean {
  return a['meshtail.denial.cause'] === 'route_not_found' || (status === 404 && flags.includes('NR'));
}

export function hasUpstreamFailure(flags: readonly string[]): boolean {
  for (const f of flags) if (UPSTREAM_FLAGS.has(f)) return true;
  return false;
}

export function flagsOf(a: Attributes): readonly string[] {
  const f = a['envoy.response_flags'];
  return Array.isArray(f) ? (f as string[]) : [];
}

export { str };
