// The sealed bundle of one record: `enc:v2:<kid>:<base64(nonce | ciphertext | tag)>`, AES-256-GCM
// with a random 96-bit nonce. The plaintext is the JSON array of the sealed values (OTLP/JSON
// AnyValue) in the order of `meshtail.encrypted.fields`. The associated data binds the key id, the
// tenant, the field list and (v2) what identifies the record: its timestamp, request id and source
// file, so a bundle moved to another record (another tenant's, another request's, another time's),
// or a field list edited, fails to open; for a body covered in place (body-spans.ts), the body too.
// `enc:v1` (no record binding) is still opened. v3 (per-tenant sealing) is v2's bundle under a data
// key wrapped for the tenant's recipient (recipient.ts):
// `enc:v3:<recipient kid>:<base64(wrapped key)>:<base64(nonce | ciphertext | tag)>`.
// docs/encryption.md is the reference.
import { createCipheriv, createDecipheriv, type KeyObject } from 'node:crypto';

export const ENCRYPTED_ATTRIBUTE = 'meshtail.encrypted';
export const ENCRYPTED_FIELDS_ATTRIBUTE = 'meshtail.encrypted.fields';
/** The name the record body takes in the field list. */
export const BODY_FIELD = 'body';
/** The v1 prefix: still read, never written. */
export const ENVELOPE_PREFIX = 'enc:v1:';
export const ENVELOPE_V2_PREFIX = 'enc:v2:';
export const ENVELOPE_V3_PREFIX = 'enc:v3:';
export const REQUEST_ID_ATTRIBUTE = 'http.request.header.x-request-id';
export const FILE_PATH_ATTRIBUTE = 'log.file.path';
export const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const AAD_LABEL = 'meshtail-enc-v1';
const AAD_LABEL_V2 = 'meshtail-enc-v2';
const AAD_LABEL_V3 = 'meshtail-enc-v3';

export type EnvelopeVersion = 'v1' | 'v2' | 'v3';

/**
 * What identifies a record, in clear beside its bundle: the timestamp (ns, decimal), the request id
 * and the source file ('' when absent). Two records alike in all three are the same proxy's lines of
 * the same request at the same nanosecond.
 */
export interface RecordBinding {
  time: string;
  requestId: string;
  file: string;
  /**
   * The covered body of an `in_place` record (field list holds `body.spans`), bound after the JSON so
   * an edited, swapped or moved body fails to open. The JSON array is self-delimiting, so appending
   * the body's UTF-8 is unambiguous, and no JSON.stringify of the body is paid per record.
   */
  body?: string;
}

/** JSON of ["meshtail-enc-v1", kid, tenant, fields]: unambiguous whatever the names contain. */
export function associatedData(kid: string, tenant: string, fields: readonly string[]): Buffer {
  return Buffer.from(JSON.stringify([AAD_LABEL, kid, tenant, fields]), 'utf8');
}

/** JSON of ["meshtail-enc-v2", kid, tenant, fields, time, request id, file]. */
export function associatedDataV2(
  kid: string,
  tenant: string,
  fields: readonly string[],
  b: RecordBinding,
): Buffer {
  return boundAssociatedData(AAD_LABEL_V2, kid, tenant, fields, b);
}

/** v3: as v2 under its own label, the kid being the recipient's. */
export function associatedDataV3(
  kid: string,
  tenant: string,
  fields: readonly string[],
  b: RecordBinding,
): Buffer {
  return boundAssociatedData(AAD_LABEL_V3, kid, tenant, fields, b);
}

function boundAssociatedData(
  label: string,
  kid: string,
  tenant: string,
  fields: readonly string[],
  b: RecordBinding,
): Buffer {
  const head = JSON.stringify([label, kid, tenant, fields, b.time, b.requestId, b.file]);
  return Buffer.from(b.body === undefined ? head : head + b.body, 'utf8');
}

export function isEnvelope(text: string): boolean {
  return (
    text.startsWith(ENVELOPE_V3_PREFIX) ||
    text.startsWith(ENVELOPE_V2_PREFIX) ||
    text.startsWith(ENVELOPE_PREFIX)
  );
}

/** `kid` is what stands between the prefix and the blob: the kid (v3: the kid and the wrapped key). */
export function seal(
  kid: string,
  key: KeyObject,
  nonce: Uint8Array,
  plaintext: string,
  aad: Buffer,
  prefix: string = ENVELOPE_V2_PREFIX,
): string {
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  const body = cipher.update(plaintext, 'utf8');
  const last = cipher.final();
  const blob = Buffer.concat([nonce, body, last, cipher.getAuthTag()]);
  return `${prefix}${kid}:${blob.toString('base64')}`;
}

export interface Envelope {
  version: EnvelopeVersion;
  kid: string;
  blob: Buffer;
  /** v3: the wrapped data key, in base64 as written (the cache key of its unwrapping). */
  wrapped?: string;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Undefined when `text` is not a well-formed `enc:v1`, `enc:v2` or `enc:v3` envelope. */
export function parseEnvelope(text: string): Envelope | undefined {
  if (text.startsWith(ENVELOPE_V3_PREFIX)) {
    const [kid, wrapped, b64, extra] = text.slice(ENVELOPE_V3_PREFIX.length).split(':');
    if (!kid || wrapped === undefined || b64 === undefined || extra !== undefined) return undefined;
    if (!BASE64.test(wrapped) || !BASE64.test(b64)) return undefined;
    const blob = Buffer.from(b64, 'base64');
    return blob.length >= NONCE_BYTES + TAG_BYTES ? { version: 'v3', kid, blob, wrapped } : undefined;
  }
  const version = text.startsWith(ENVELOPE_V2_PREFIX)
    ? 'v2'
    : text.startsWith(ENVELOPE_PREFIX)
      ? 'v1'
      : undefined;
  if (!version) return undefined;
  const colon = text.indexOf(':', ENVELOPE_PREFIX.length);
  if (colon < 0) return undefined;
  const kid = text.slice(ENVELOPE_PREFIX.length, colon);
  const b64 = text.slice(colon + 1);
  if (kid === '' || !BASE64.test(b64)) return undefined;
  const blob = Buffer.from(b64, 'base64');
  return blob.length >= NONCE_BYTES + TAG_BYTES ? { version, kid, blob } : undefined;
}

/** The GCM tag of a blob (its last 16 bytes), which a sealed line's successor binds. */
export function tagOf(blob: Buffer): Buffer {
  return blob.subarray(blob.length - TAG_BYTES);
}

/** The plaintext, or undefined when the tag does not verify (wrong key, or altered data). */
export function openEnvelope(key: KeyObject | Uint8Array, blob: Buffer, aad: Buffer): string | undefined {
  const nonce = blob.subarray(0, NONCE_BYTES);
  const tag = blob.subarray(blob.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  try {
    const text = decipher.update(blob.subarray(NONCE_BYTES, blob.length - TAG_BYTES));
    return Buffer.concat([text, decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
