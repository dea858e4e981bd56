// Whole-line encryption of the file exporter's output: each OTLP/JSON line is sealed with the
// keyring's active key into `enc:v1:<kid>:<base64(nonce | ciphertext | tag)>` (agent/keyring/
// sealed-line.ts, shared with `meshtail decrypt`, which reads it back). `openLine` is the short way.
import { createSecretKey, type KeyObject } from 'node:crypto';
import { loadKeyring } from '../../agent/kit/keyring/keyring.ts';
import { openSealedLine, sealLine } from '../../agent/kit/keyring/sealed-line.ts';

export class LineSealer {
  readonly #kid: string;
  readonly #key: KeyObject;

  /** Throws, naming the directory (never a key), when the keyring has no usable active key. */
  constructor(keyringDir: string) {
    const load = loadKeyring(keyringDir);
    const active = load.ok ? load.keyring.active : undefined;
    const key = load.ok && active !== undefined ? load.keyring.keys.get(active) : undefined;
    if (!key || active === undefined)
      throw new Error(`file exporter keyring ${keyringDir}: no usable active key`);
    this.#kid = active;
    this.#key = createSecretKey(key);
  }

  seal(line: Uint8Array): string {
    return sealLine(this.#kid, this.#key, Buffer.from(line).toString('utf8'));
  }
}

/** The line in clear, or undefined when it is not a sealed line or no key in `keys` opens it. */
export function openLine(line: string, keys: Map<string, Buffer>): string | undefined {
  const o = openSealedLine(line, keys);
  return o.kind === 'opened' ? o.text : undefined;
}
