// Exporters send one request per tenant and never mix tenants (Loki, Tempo and Mimir take one
// X-Scope-OrgID per push). The worker groups a batch's records by meshtail.tenant before encoding.
import type { LogRecord, ResourceLogs } from '../pipeline/record.ts';

export const TENANT_ATTRIBUTE = 'meshtail.tenant';

export function splitByTenant(batch: ResourceLogs): { tenant?: string; batch: ResourceLogs }[] {
  let first: unknown;
  let mixed = false;
  for (let i = 0; i < batch.records.length; i++) {
    const t = batch.records[i]!.attributes[TENANT_ATTRIBUTE];
    if (i === 0) first = t;
    else if (t !== first) {
      mixed = true;
      break;
    }
  }
  if (!mixed) return [typeof first === 'string' ? { tenant: first, batch } : { batch }];
  const groups = new Map<string | undefined, LogRecord[]>();
  for (const r of batch.records) {
    const t = r.attributes[TENANT_ATTRIBUTE];
    const key = typeof t === 'string' ? t : undefined;
    let list = groups.get(key);
    if (!list) {
      list = [];
      groups.set(key, list);
    }
    list.push(r);
  }
  return [...groups].map(([tenant, records]) => {
    const part = { resource: batch.resource, scope: batch.scope, records };
    return tenant === undefined ? { batch: part } : { tenant, batch: part };
  });
}
