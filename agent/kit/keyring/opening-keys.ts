// What `meshtail decrypt` opens with: symmetric keys by kid (a keyring directory) and recipients'
// private keys by kid (`--private-key` files). A v3 data key is unwrapped once per wrapping, not
// per record: every record of a batch and tenant carries the same wrapped key.
import { createSecretKey, type KeyObject } from 'node:crypto';
import { unwrapDataKey } from './recipient.ts';
import type { PrivateRecipient } from './recipient-files.ts';

const UNWRAP_CACHE = 4096;

export type DataKeyOutcome =
  | { kind: 'ok'; key: KeyObject; tenant: string }
  | { kind: 'no_key' }
  | { kind: 'failed' };

export class OpeningKeys {
  readonly symmetric: ReadonlyMap<string, KeyObject>;
  readonly #recipients: ReadonlyMap<string, PrivateRecipient>;
  readonly #unwrapped = new Map<string, KeyObject | undefined>();

  constructor(
    symmetric: ReadonlyMap<string, KeyObject | Uint8Array> = new Map(),
    recipients: Iterable<PrivateRecipient> = [],
  ) {
    this.symmetric = new Map(
      [...symmetric].map(([kid, k]) => [kid, k instanceof Uint8Array ? createSecretKey(k) : k]),
    );
    this.#recipients = new Map([...recipients].map((r) => [r.kid, r]));
  }

  get size(): number {
    return this.symmetric.size + this.#recipients.size;
  }

  /** The tenant a recipient kid seals for, when its private key is here. */
  tenantOf(kid: string): string | undefined {
    return this.#recipients.get(kid)?.tenant;
  }

  /** The data key a v3 wrapped key (base64) holds for recipient `kid`. */
  dataKey(kid: string, wrapped: string): DataKeyOutcome {
    const r = this.#recipients.get(kid);
    if (!r) return { kind: 'no_key' };
    const id = `${kid}:${wrapped}`;
    let key = this.#unwrapped.get(id);
    if (key === undefined && !this.#unwrapped.has(id)) {
      const raw = unwrapDataKey(kid, r.tenant, r.key, Buffer.from(wrapped, 'base64'));
      key = raw ? createSecretKey(raw) : undefined;
      if (this.#unwrapped.size >= UNWRAP_CACHE) this.#unwrapped.clear();
      this.#unwrapped.set(id, key);
    }
    return key ? { kind: 'ok', key, tenant: r.tenant } : { kind: 'failed' };
  }
}
