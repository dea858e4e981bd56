// Whole-line encryption of the file exporter's output: each OTLP/JSON line is sealed into a chained
// line (agent/kit/keyring/sealed-line.ts, shared with `meshtail decrypt`): a new chain with each new
// file, so decrypt detects deleted, duplicated or reordered lines. A symmetric keyring seals with
// its active key (`enc:v2`); a per-tenant keyring seals each line (one payload: one batch of one
// tenant) under a fresh data key wrapped for the payload tenant's recipient, or the default
// recipient's (`enc:v3`). The keyring is read again when a new file starts and at most every
// RELOAD_CHECK_MS when its directory changed (a rotated key takes effect without a restart); a
// keyring that no longer loads keeps the keys in use. `openLine` is the short way back.
import { createSecretKey, type KeyObject } from 'node:crypto';
import { keyringSignature, loadKeyring } from '../../agent/kit/keyring/keyring.ts';
import type { OpeningKeys } from '../../agent/kit/keyring/opening-keys.ts';
import { ChainReader, LineChain, openSealedLine } from '../../agent/kit/keyring/sealed-line.ts';
import { x25519PublicKey } from '../../agent/kit/keyring/x25519-keys.ts';

/** A stat of the keyring's few files per check; lines between checks use the key they have. */
const RELOAD_CHECK_MS = 5000;

type SealingKeys =
  | { mode: 'symmetric'; kid: string; key: KeyObject }
  | { mode: 'recipients'; recipients: Map<string, { kid: string; key: KeyObject }> };

export class LineSealer {
  readonly #dir: string;
  readonly #chain = new LineChain();
  readonly #now: () => number;
  #keys: SealingKeys;
  #signature: string;
  #checkedAt: number;

  /** Throws, naming the directory (never a key), when the keyring has no usable active key. */
  constructor(keyringDir: string, now: () => number = Date.now) {
    this.#dir = keyringDir;
    this.#now = now;
    const keys = sealingKeys(keyringDir);
    if (!keys) throw new Error(`file exporter keyring ${keyringDir}: no usable active key`);
    this.#keys = keys;
    this.#signature = keyringSignature(keyringDir);
    this.#checkedAt = now();
  }

  /** The kid that seals lines of `tenant` now. */
  kid(tenant = ''): string | undefined {
    const k = this.#keys;
    return k.mode === 'symmetric' ? k.kid : (k.recipients.get(tenant) ?? k.recipients.get(''))?.kid;
  }

  /** `fresh`: the line starts a new file, and so a new chain. Throws when no recipient seals `tenant`. */
  seal(line: Uint8Array, fresh: boolean, tenant = ''): string {
    if (fresh || this.#now() - this.#checkedAt >= RELOAD_CHECK_MS) this.#reload();
    const k = this.#keys;
    const text = Buffer.from(line).toString('utf8');
    if (k.mode === 'symmetric') {
      if (fresh) this.#chain.restart();
      return this.#chain.seal(k.kid, k.key, text);
    }
    const own = k.recipients.get(tenant);
    const r = own ?? k.recipients.get('');
    if (!r)
      throw new Error(`file exporter keyring ${this.#dir}: no recipient for the tenant, and no default`);
    if (fresh) this.#chain.restart();
    return this.#chain.sealTo(r.kid, own ? tenant : '', r.key, text);
  }

  #reload(): void {
    this.#checkedAt = this.#now();
    const signature = keyringSignature(this.#dir);
    if (signature === this.#signature) return;
    const keys = sealingKeys(this.#dir);
    if (!keys) return;
    this.#signature = signature;
    this.#keys = keys;
  }
}

function sealingKeys(dir: string): SealingKeys | undefined {
  const load = loadKeyring(dir);
  if (!load.ok) return undefined;
  const k = load.keyring;
  if (k.recipients.size > 0) {
    const recipients = new Map<string, { kid: string; key: KeyObject }>();
    for (const [tenant, kid] of k.activeRecipients)
      recipients.set(tenant, { kid, key: x25519PublicKey(k.recipients.get(kid)!.key) });
    return recipients.size > 0 ? { mode: 'recipients', recipients } : undefined;
  }
  const key = k.active !== undefined ? k.keys.get(k.active) : undefined;
  return key && k.active !== undefined
    ? { mode: 'symmetric', kid: k.active, key: createSecretKey(key) }
    : undefined;
}

/** The line in clear, or undefined when it is not a sealed line or no key in `keys` opens it. */
export function openLine(
  line: string,
  keys: Map<string, Buffer>,
  chain?: ChainReader,
  opening?: OpeningKeys,
): string | undefined {
  const o = openSealedLine(line, keys, chain ?? new ChainReader(), opening);
  return o.kind === 'opened' ? o.text : undefined;
}
