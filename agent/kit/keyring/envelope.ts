// The sealed bundle of one record: `enc:v1:<kid>:<base64(nonce | ciphertext | tag)>`, AES-256-GCM
// with a random 96-bit nonce. The plaintext is the JSON array of the sealed values (OTLP/JSON
// AnyValue) in the order of `meshtail.encrypted.fields`. The associated data binds the key id, the
// tenant and the field list, so a bundle moved to another tenant's record, or a field list edited,
// fails to open. docs/encryption.md is the reference.
import { createCipheriv, createDecipheriv, type KeyObject } from 'node:crypto';

export const ENCRYPTED_ATTRIBUTE = 'meshtail.encrypted';
export const ENCRYPTED_FIELDS_ATTRIBUTE = 'meshtail.encrypted.fields';
/** The name the record body takes in the field list. */
export const BODY_FIELD = 'body';
export const ENVELOPE_PREFIX = 'enc:v1:';
export const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const AAD_LABEL = 'meshtail-enc-v1';

/** JSON of ["meshtail-enc-v1", kid, tenant, fields]: unambiguous whatever the names contain. */
export function associatedData(kid: string, tenant: string, fields: readonly string[]): Buffer {
  return Buffer.from(JSON.stringify([AAD_LABEL, kid, tenant, fields]), 'utf8');
}

export function seal(kid: string, key: KeyObject, nonce: Uint8Array, plaintext: string, aad: Buffer): string {
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  const body = cipher.update(plaintext, 'utf8');
  const last = cipher.final();
  const blob = Buffer.concat([nonce, body, last, cipher.getAuthTag()]);
  return `${ENVELOPE_PREFIX}${kid}:${blob.toString('base64')}`;
}

export interface Envelope {
  kid: string;
  blob: Buffer;
}

/** Undefined when `text` is not a well-formed `enc:v1` envelope. */
export function parseEnvelope(text: string): Envelope | undefined {
  if (!text.startsWith(ENVELOPE_PREFIX)) return undefined;
  const colon = text.indexOf(':', ENVELOPE_PREFIX.length);
  if (colon < 0) return undefined;
  const kid = text.slice(ENVELOPE_PREFIX.length, colon);
  const b64 = text.slice(colon + 1);
  if (kid === '' || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return undefined;
  const blob = Buffer.from(b64, 'base64');
  return blob.length >= NONCE_BYTES + TAG_BYTES ? { kid, blob } : undefined;
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
