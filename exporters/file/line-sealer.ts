// Whole-line encryption of the file exporter's output: each OTLP/JSON line is sealed with the
// keyring's active key into a chained v2 line (agent/keyring/sealed-line.ts, shared with `meshtail
// decrypt`): a new chain with each new file, so decrypt detects deleted, duplicated or reordered
// lines. The keyring is read again when a new file starts and at most every RELOAD_CHECK_MS when
// its directory changed (a rotated key takes effect without a restart); a keyring that no longer
// loads keeps the key in use. `openLine` is the short way back.
import { createSecretKey, type KeyObject } from 'node:crypto';
import { keyringSignature, loadKeyring } from '../../agent/kit/keyring/keyring.ts';
import { ChainReader, LineChain, openSealedLine } from '../../agent/kit/keyring/sealed-line.ts';

/** A stat of the keyring's few files per check; lines between checks use the key they have. */
const RELOAD_CHECK_MS = 5000;

export class LineSealer {
  readonly #dir: string;
  readonly #chain = new LineChain();
  readonly #now: () => number;
  #kid: string;
  #key: KeyObject;
  #signature: string;
  #checkedAt: number;

  /** Throws, naming the directory (never a key), when the keyring has no usable active key. */
  constructor(keyringDir: string, now: () => number = Date.now) {
    this.#dir = keyringDir;
    this.#now = now;
    const active = activeKey(keyringDir);
    if (!active) throw new Error(`file exporter keyring ${keyringDir}: no usable active key`);
    this.#kid = active.kid;
    this.#key = active.key;
    this.#signature = keyringSignature(keyringDir);
    this.#checkedAt = now();
  }

  get kid(): string {
    return this.#kid;
  }

  /** `fresh`: the line starts a new file, and so a new chain. */
  seal(line: Uint8Array, fresh: boolean): string {
    if (fresh || this.#now() - this.#checkedAt >= RELOAD_CHECK_MS) this.#reload();
    if (fresh) this.#chain.restart();
    return this.#chain.seal(this.#kid, this.#key, Buffer.from(line).toString('utf8'));
  }

  #reload(): void {
    this.#checkedAt = this.#now();
    const signature = keyringSignature(this.#dir);
    if (signature === this.#signature) return;
    const active = activeKey(this.#dir);
    if (!active) return;
    this.#signature = signature;
    this.#kid = active.kid;
    this.#key = active.key;
  }
}

function activeKey(dir: string): { kid: string; key: KeyObject } | undefined {
  const load = loadKeyring(dir);
  const kid = load.ok ? load.keyring.active : undefined;
  const key = load.ok && kid !== undefined ? load.keyring.keys.get(kid) : undefined;
  return key && kid !== undefined ? { kid, key: createSecretKey(key) } : undefined;
}

/** The line in clear, or undefined when it is not a sealed line or no key in `keys` opens it. */
export function openLine(line: string, keys: Map<string, Buffer>, chain?: ChainReader): string | undefined {
  const o = openSealedLine(line, keys, chain ?? new ChainReader());
  return o.kind === 'opened' ? o.text : undefined;
}
