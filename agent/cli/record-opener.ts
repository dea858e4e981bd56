// Opens the `enc:v1`/`v2`/`v3` bundle of one OTLP/JSON log record with the keys at hand and puts
// the sealed values back (attributes, pseudonymised identifiers, body, or the body's covered
// spans). A record is changed only when its bundle opened; a failure leaves it exactly as it was.
// Outcomes name the key id, never a value.
import type { KeyObject } from 'node:crypto';
import { TENANT_ATTRIBUTE } from '../kit/attributes.ts';
import type { AnyValueJson } from '../kit/keyring/any-value.ts';
import { BODY_SPANS_FIELD, restoreBody } from '../kit/keyring/body-spans.ts';
import {
  associatedData,
  associatedDataV2,
  associatedDataV3,
  BODY_FIELD,
  ENCRYPTED_ATTRIBUTE,
  ENCRYPTED_FIELDS_ATTRIBUTE,
  FILE_PATH_ATTRIBUTE,
  openEnvelope,
  parseEnvelope,
  REQUEST_ID_ATTRIBUTE,
  type RecordBinding,
} from '../kit/keyring/envelope.ts';
import { OpeningKeys } from '../kit/keyring/opening-keys.ts';

export interface KeyValueJson {
  key: string;
  value: AnyValueJson;
}

export interface LogRecordJson {
  attributes?: KeyValueJson[];
  body?: AnyValueJson;
  traceId?: string;
  [field: string]: unknown;
}

export type OpenOutcome =
  | { kind: 'plain' }
  | { kind: 'opened'; kids: string[] /** v3: the recipients' tenants. */; tenants?: string[] }
  | { kind: 'no_key'; kid: string }
  | { kind: 'failed'; kid: string; reason: string };

/** Nested bundles (a record through two encrypt processors) are opened up to this depth. */
const MAX_DEPTH = 8;

/**
 * `resourceTenant`: the request resource's meshtail.tenant. The tenant split copies a record's tenant
 * to its request's resource; should a record arrive without its own, the resource's is tried too.
 */
export function openRecord(
  record: LogRecordJson,
  keys: ReadonlyMap<string, KeyObject> | OpeningKeys,
  resourceTenant?: string,
): OpenOutcome {
  const opening = keys instanceof OpeningKeys ? keys : new OpeningKeys(keys);
  const kids: string[] = [];
  const recipientTenants: string[] = [];
  const done = (): OpenOutcome =>
    kids.length === 0
      ? { kind: 'plain' }
      : recipientTenants.length > 0
        ? { kind: 'opened', kids, tenants: recipientTenants }
        : { kind: 'opened', kids };
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const attrs = record.attributes ?? [];
    const sealed = stringOf(attrs.find((kv) => kv.key === ENCRYPTED_ATTRIBUTE)?.value);
    if (sealed === undefined) break;
    const envelope = parseEnvelope(sealed);
    if (!envelope)
      return {
        kind: 'failed',
        kid: '?',
        reason: `${ENCRYPTED_ATTRIBUTE} is not an enc:v1, enc:v2 or enc:v3 envelope`,
      };
    const { kid, blob, version } = envelope;
    const fields = fieldList(attrs.find((kv) => kv.key === ENCRYPTED_FIELDS_ATTRIBUTE)?.value);
    if (!fields)
      return {
        kind: 'failed',
        kid,
        reason: `${ENCRYPTED_FIELDS_ATTRIBUTE} is missing or not a list of names`,
      };
    let key: KeyObject | undefined;
    let recipientTenant: string | undefined;
    if (version === 'v3') {
      const data = opening.dataKey(kid, envelope.wrapped!);
      if (data.kind === 'failed')
        return {
          kind: 'failed',
          kid,
          reason: `the wrapped data key does not open under the private key of '${kid}': a wrong private key for this kid, or the bundle was altered`,
        };
      if (data.kind === 'ok') {
        key = data.key;
        recipientTenant = data.tenant;
      }
    } else key = opening.symmetric.get(kid);
    if (!key) return kids.length > 0 ? done() : { kind: 'no_key', kid };
    const own = stringOf(attrs.find((kv) => kv.key === TENANT_ATTRIBUTE)?.value);
    const tenants = own !== undefined ? [own] : resourceTenant ? ['', resourceTenant] : [''];
    const binding: RecordBinding = {
      time:
        typeof record.timeUnixNano === 'string' ? record.timeUnixNano : String(record.timeUnixNano ?? '0'),
      requestId: stringOf(attrs.find((kv) => kv.key === REQUEST_ID_ATTRIBUTE)?.value) ?? '',
      file: stringOf(attrs.find((kv) => kv.key === FILE_PATH_ATTRIBUTE)?.value) ?? '',
    };
    const inPlace = version !== 'v1' && fields.includes(BODY_SPANS_FIELD);
    if (inPlace) {
      binding.body = stringOf(record.body);
      if (binding.body === undefined)
        return {
          kind: 'failed',
          kid,
          reason: 'the bundle covers the body in place, but the body is not a string',
        };
    }
    let text: string | undefined;
    for (const tenant of tenants) {
      const aad =
        version === 'v3'
          ? associatedDataV3(kid, tenant, fields, binding)
          : version === 'v2'
            ? associatedDataV2(kid, tenant, fields, binding)
            : associatedData(kid, tenant, fields);
      text = openEnvelope(key, blob, aad);
      if (text !== undefined) break;
    }
    if (text === undefined)
      return {
        kind: 'failed',
        kid,
        reason:
          `the bundle does not authenticate under key '${kid}': a wrong key for this kid, or the record ` +
          `was altered (ciphertext, ${TENANT_ATTRIBUTE}, ${ENCRYPTED_FIELDS_ATTRIBUTE}` +
          (version !== 'v1'
            ? ', or the bundle was moved from another record: timestamp, request id, file)'
            : ')'),
      };
    const values = JSON.parse(text) as AnyValueJson[];
    if (!Array.isArray(values) || values.length !== fields.length)
      return { kind: 'failed', kid, reason: 'the opened bundle does not match its field list' };
    if (!restore(record, fields, values))
      return { kind: 'failed', kid, reason: 'the opened body spans do not fit the body' };
    kids.push(kid);
    if (recipientTenant !== undefined) recipientTenants.push(recipientTenant);
  }
  return done();
}

/** False (the record untouched) when in-place body spans do not fit the covered body. */
function restore(record: LogRecordJson, fields: string[], values: AnyValueJson[]): boolean {
  const byKey = new Map<string, AnyValueJson>();
  let body: AnyValueJson | undefined;
  for (let i = 0; i < fields.length; i++) {
    if (fields[i] === BODY_FIELD) body = values[i]!;
    else if (fields[i] === BODY_SPANS_FIELD) {
      const spans = stringOf(values[i]);
      const original =
        spans === undefined
          ? undefined
          : restoreBody(stringOf(record.body) ?? '', spans, (f) =>
              fields[f] === BODY_FIELD || fields[f] === BODY_SPANS_FIELD ? undefined : stringOf(values[f]),
            );
      if (original === undefined) return false;
      body = { stringValue: original };
    } else byKey.set(fields[i]!, values[i]!);
  }
  if (body !== undefined) record.body = body;
  const kept = (record.attributes ?? []).filter(
    (kv) => kv.key !== ENCRYPTED_ATTRIBUTE && kv.key !== ENCRYPTED_FIELDS_ATTRIBUTE && !byKey.has(kv.key),
  );
  for (const [key, value] of byKey) kept.push({ key, value });
  record.attributes = kept;
  return true;
}

function stringOf(v: AnyValueJson | undefined): string | undefined {
  const s = v?.stringValue;
  return typeof s === 'string' ? s : undefined;
}

function fieldList(v: AnyValueJson | undefined): string[] | undefined {
  const values = (v?.arrayValue as { values?: AnyValueJson[] } | undefined)?.values;
  if (!Array.isArray(values)) return undefined;
  const names = values.map(stringOf);
  return names.every((n) => n !== undefined) ? (names as string[]) : undefined;
}
