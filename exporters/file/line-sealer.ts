// Whole-line encryption of the file exporter's output: each OTLP/JSON line is sealed with the
// keyring's active key into `enc:v1:<kid>:<base64(nonce | ciphertext | tag)>`, the encrypt
// processor's envelope (random 96-bit nonce, AES-256-GCM), with associated data that marks it as a
// file line so it cannot be passed off as a record's sealed fields. `openLine` reads it back.
import { createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { NONCE_BYTES, openEnvelope, parseEnvelope, seal } from '../../agent/keyring/envelope.ts';
import { loadKeyring } from '../../agent/keyring/keyring.ts';

const AAD_LABEL = 'meshtail-file-v1';

function lineAad(kid: string): Buffer {
  return Buffer.from(JSON.stringify([AAD_LABEL, kid]), 'utf8');
}

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
    return seal(
      this.#kid,
      this.#key,
      randomBytes(NONCE_BYTES),
      Buffer.from(line).toString('utf8'),
      lineAad(this.#kid),
    );
  }
}

/** The line in clear, or undefined when it is not a sealed line or no key in `keys` opens it. */
export function openLine(line: string, keys: Map<string, Buffer>): string | undefined {
  const env = parseEnvelope(line.trim());
  const key = env && keys.get(env.kid);
  return env && key ? openEnvelope(key, env.blob, lineAad(env.kid)) : undefined;
}
