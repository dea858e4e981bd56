// A record the processor could not inspect does not leave in clear: its body and every attribute
// that may carry client-controlled text are replaced, and it is marked. Kept are the attributes
// whose values come from the proxy's configuration, the parser or an enumeration, never from a
// request (DESIGN.md's names), so the record can still be routed and counted.
import type { LogRecord } from '../../agent/kit/record/record.ts';

export const FAILED_ATTRIBUTE = 'meshtail.redact.failed';

/** Why a record could not be inspected; the message never holds a value. */
export class Uninspectable extends Error {}

const KEPT = new Set([
  'meshtail.log.kind',
  'meshtail.log.format',
  'meshtail.log.scope',
  'meshtail.parse.error',
  'meshtail.labels.missing',
  'meshtail.tenant',
  'meshtail.audience',
  'data.classification',
  'http.request.method',
  'network.protocol.name',
  'network.protocol.version',
  'network.transport',
  'envoy.response_flags',
  'envoy.response_code_details',
  'envoy.upstream_cluster',
  'envoy.route_name',
  'meshtail.denial.cause',
  'meshtail.denial.policy',
  'mesh.direction',
  'mesh.source.workload',
  'mesh.source.namespace',
  'mesh.destination.service',
  'mesh.destination.namespace',
  'mesh.destination.workload',
  'mesh.destination.subset',
  'log.file.path',
  'log.iostream',
]);

/** `mask` replaces the body and every string, list or map attribute not in KEPT. */
export function failClosed(r: LogRecord, mask: string): void {
  r.body = mask;
  const a = r.attributes;
  for (const key in a) {
    const v = a[key];
    if (KEPT.has(key) && short(v)) continue;
    if (typeof v === 'string' || (typeof v === 'object' && v !== null)) a[key] = mask;
  }
  a[FAILED_ATTRIBUTE] = true;
}

/** Kept values are short names; anything else in a kept attribute is not what the name promises. */
function short(v: unknown): boolean {
  if (typeof v === 'string') return v.length <= 256;
  return Array.isArray(v) && v.every((e) => typeof e === 'string' && e.length <= 256);
}
