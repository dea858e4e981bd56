// Keyed pseudonyms: HMAC-SHA256 under a key with an id, `hmac:<kid>:<first 16 hex>` (64 bits).
// Never a bare hash: an IP or email space is small enough to hash exhaustively. Values repeat
// heavily in mesh traffic (a node's few hundred pod IPs), so pseudonyms are memoised; the memo is
// derived from the read-only key and changes no output.
import { createHmac, randomBytes } from 'node:crypto';

export interface HashKey {
  id: string;
  key: Buffer;
}

const MEMO_LIMIT = 65_536;
const HEX_CHARS = 16;

export class KeyedHash {
  readonly id: string;
  readonly #key: Buffer;
  readonly #prefix: string;
  readonly #memo = new Map<string, string>();

  constructor(key: HashKey) {
    this.id = key.id;
    this.#key = key.key;
    this.#prefix = `hmac:${key.id}:`;
  }

  pseudonym(value: string): string {
    let p = this.#memo.get(value);
    if (p === undefined) {
      p = this.#prefix + createHmac('sha256', this.#key).update(value).digest('hex').slice(0, HEX_CHARS);
      if (this.#memo.size >= MEMO_LIMIT) this.#memo.clear();
      this.#memo.set(value, p);
    }
    return p;
  }
}

/** A random key for a process without `hash_key`: its pseudonyms do not survive a restart. */
export function ephemeralKey(): HashKey {
  return { id: `eph-${randomBytes(3).toString('hex')}`, key: randomBytes(32) };
}
