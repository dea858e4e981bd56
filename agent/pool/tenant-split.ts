// Exporters send one request per tenant and never mix tenants (Loki, Tempo and Mimir take one
// X-Scope-OrgID per push). The worker groups a batch's records by their access attributes (tenant,
// classification, audience) before encoding, and puts each group's values on its resource: backends
// filter on stream labels (resource attributes), so Loki's label-based access control sees them.
import { TENANT_ATTRIBUTE } from '../kit/attributes.ts';
import type { Attributes, LogRecord, ResourceLogs } from '../kit/record/record.ts';

const CLASSIFICATION = 'data.classification';
const AUDIENCE = 'meshtail.audience';

export interface TenantPart {
  tenant?: string;
  batch: ResourceLogs;
}

export function splitByTenant(batch: ResourceLogs): TenantPart[] {
  const records = batch.records;
  if (records.length === 0) return [{ batch }];
  const firstKey = accessKey(records[0]!);
  let mixed = false;
  for (let i = 1; i < records.length && !mixed; i++) mixed = accessKey(records[i]!) !== firstKey;
  if (!mixed) return firstKey === '' ? [{ batch }] : [part(batch, records)];
  const groups = new Map<string, LogRecord[]>();
  for (const r of records) {
    const key = accessKey(r);
    let list = groups.get(key);
    if (!list) {
      list = [];
      groups.set(key, list);
    }
    list.push(r);
  }
  return [...groups.values()].map((list) => part(batch, list));
}

function part(batch: ResourceLogs, records: LogRecord[]): TenantPart {
  const a = records[0]!.attributes;
  const tenant = typeof a[TENANT_ATTRIBUTE] === 'string' ? (a[TENANT_ATTRIBUTE] as string) : undefined;
  const resource: Attributes = { ...batch.resource };
  if (tenant !== undefined) resource[TENANT_ATTRIBUTE] = tenant;
  if (typeof a[CLASSIFICATION] === 'string') resource[CLASSIFICATION] = a[CLASSIFICATION];
  const audience = audienceText(a[AUDIENCE]);
  if (audience !== '') resource[AUDIENCE] = audience;
  const out = { resource, scope: batch.scope, records };
  return tenant === undefined ? { batch: out } : { tenant, batch: out };
}

/** '' for a record without access attributes (no promotion, no tenant). */
function accessKey(r: LogRecord): string {
  const a = r.attributes;
  const t = a[TENANT_ATTRIBUTE];
  const c = a[CLASSIFICATION];
  const aud = a[AUDIENCE];
  if (t === undefined && c === undefined && aud === undefined) return '';
  return `${typeof t === 'string' ? t : ''}\u0000${typeof c === 'string' ? c : ''}\u0000${audienceText(aud)}`;
}

/** An audience list as one label value: Loki labels are strings. */
function audienceText(v: unknown): string {
  if (Array.isArray(v)) return v.join(',');
  return typeof v === 'string' ? v : '';
}
