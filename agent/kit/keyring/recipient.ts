// Per-tenant sealing: a data key (32 random bytes) wrapped for a tenant's X25519 recipient key with
// HPKE base mode (hpke.ts, AES-256-GCM). The wrapped key, `enc[32] | sealed data key[48]`, travels
// with what the data key seals; its associated data binds the recipient's kid and tenant, so a
// wrapped key moved under another kid or tenant does not open. One wrap per batch and tenant: the
// X25519 operation is the costly part (~60 µs), the records under it pay AES-GCM only.

import type { KeyObject } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { decap, ENC_BYTES, encap, keySchedule, openOnce, sealOnce } from './hpke.ts';

const AEAD = 'aes-256-gcm';
const INFO = Buffer.from('meshtail recipient v3');
export const DATA_KEY_BYTES = 32;
/** enc (32) | data key (32) | HPKE tag (16). */
export const WRAPPED_BYTES = ENC_BYTES + DATA_KEY_BYTES + 16;

function wrapAad(kid: string, tenant: string): Buffer {
  return Buffer.from(JSON.stringify(['meshtail-wrap-v3', kid, tenant]), 'utf8');
}

export interface WrappedKey {
  dataKey: Buffer;
  wrapped: Buffer;
}

/** A fresh data key and its wrapping for `recipient` (the public key of `kid`, for `tenant`). */
export function wrapNewDataKey(kid: string, tenant: string, recipient: KeyObject): WrappedKey {
  const dataKey = randomBytes(DATA_KEY_BYTES);
  const { enc, shared } = encap(recipient);
  const sealed = sealOnce(AEAD, keySchedule(AEAD, shared, INFO), wrapAad(kid, tenant), dataKey);
  return { dataKey, wrapped: Buffer.concat([enc, sealed]) };
}

/** The data key, or undefined when `privateKey` (of `kid`, for `tenant`) does not open `wrapped`. */
export function unwrapDataKey(
  kid: string,
  tenant: string,
  privateKey: KeyObject,
  wrapped: Uint8Array,
): Buffer | undefined {
  if (wrapped.length !== WRAPPED_BYTES) return undefined;
  const w = Buffer.from(wrapped);
  const enc = w.subarray(0, ENC_BYTES);
  let shared: Buffer;
  try {
    shared = decap(enc, privateKey);
  } catch {
    return undefined; // a low-order point gives no shared secret
  }
  return openOnce(AEAD, keySchedule(AEAD, shared, INFO), wrapAad(kid, tenant), w.subarray(ENC_BYTES));
}
