// Deterministic pseudonyms for identifiers that must stay joinable (user.id, client.address):
// HMAC-SHA256 under a key derived from the data key with HKDF, so a pseudonym is stable for one
// key and unrelated across keys, and the data key itself is never used for two purposes.
import { createHmac, createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';

export const PSEUDONYM_PREFIX = 'ps:v1:';
const HKDF_INFO = 'meshtail pseudonym v1';
/** 128 bits of the HMAC: collisions stay out of reach for any number of distinct identifiers logged. */
const HEX_CHARS = 32;

export function pseudonymKey(dataKey: Uint8Array): KeyObject {
  return createSecretKey(Buffer.from(hkdfSync('sha256', dataKey, new Uint8Array(0), HKDF_INFO, 32)));
}

/** `ps:v1:<kid>:<hex>` of a value (its text form; the field name is not mixed in, so values join across fields). */
export function pseudonym(kid: string, key: KeyObject, value: string): string {
  const mac = createHmac('sha256', key).update(value, 'utf8').digest('hex');
  return `${PSEUDONYM_PREFIX}${kid}:${mac.slice(0, HEX_CHARS)}`;
}
