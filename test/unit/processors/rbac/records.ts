// Records and batches for the rbac tests: access records with the attributes mesh_parse writes.
import type { Attributes, LogRecord, ResourceLogs } from '../../../../agent/kit/record/record.ts';
import type { ProcessLogs } from '../../../../agent/kit/worker/processor.ts';
import { rbacConfig } from '../../../../processors/rbac/config.ts';
import { createProcessor } from '../../../../processors/rbac/worker.ts';

export const POLICY = new URL('../../../fixtures/rbac/policy.yaml', import.meta.url).pathname;

export function access(attributes: Attributes, time = 1n): LogRecord {
  return {
    timeUnixNano: time,
    observedTimeUnixNano: time + 1n,
    severityNumber: 9,
    severityText: 'INFO',
    body: `GET ${String(attributes['url.path'] ?? '/')} user=${String(attributes['user.id'] ?? '-')}`,
    attributes: { 'mesh.direction': 'inbound', ...attributes },
  };
}

export function batchOf(namespace: string, records: LogRecord[]): ResourceLogs {
  return { resource: { 'k8s.namespace.name': namespace }, scope: { name: 'meshtail' }, records };
}

/** The processor over the fixture policy (or `inline` YAML), with the events it counted. */
export function rbac(inline?: string): { process: ProcessLogs; counts: Map<string, number> } {
  const config = rbacConfig.parse(inline === undefined ? { policy: POLICY } : { policy_inline: inline });
  const counts = new Map<string, number>();
  // Built as a variable: the context's shape grows (emit) while the contract evolves.
  const context = {
    id: 'rbac',
    count: (event: string, n = 1) => counts.set(event, (counts.get(event) ?? 0) + n),
    emit: () => {},
  };
  return { process: createProcessor(config, context), counts };
}
