// Recipient keys on disk. The node's keyring holds `<kid>.pub` files, one X25519 public key each
// and the tenant it seals for (`""`: the default recipient, for records without a tenant or whose
// tenant has none): `{"tenant":"acme","x25519":"<base64 of 32 bytes>"}`. The private half is a
// file the operator keeps off the node, written once (0600): `{"kid":…,"tenant":…,
// "x25519_private":"<base64>"}`, read by `meshtail decrypt --private-key`. Messages name files and
// kids, never key material.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KID_PATTERN } from './keyring.ts';
import { rawPrivateKey, rawPublicKey, X25519_BYTES, x25519PrivateKey } from './x25519-keys.ts';

export const PUB_SUFFIX = '.pub';

export interface Recipient {
  tenant: string;
  /** The raw X25519 public key. */
  key: Buffer;
}

export interface PrivateRecipient {
  kid: string;
  tenant: string;
  key: KeyObject;
}

/** A `.pub` file's content, or undefined when it is not one. */
export function parseRecipient(text: string): Recipient | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  const o = v as { tenant?: unknown; x25519?: unknown };
  if (typeof o?.tenant !== 'string' || typeof o.x25519 !== 'string') return undefined;
  const key = Buffer.from(o.x25519, 'base64');
  return key.length === X25519_BYTES ? { tenant: o.tenant, key } : undefined;
}

export type PrivateKeyRead = { ok: true; recipient: PrivateRecipient } | { ok: false; reason: string };

/** Reads a private key file; one readable by group or others is refused, as key files are. */
export function readPrivateKeyFile(path: string): PrivateKeyRead {
  try {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0)
      return {
        ok: false,
        reason: `${path}: readable by group or others (mode 0${mode.toString(8)}); refused`,
      };
    const o = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    const raw = typeof o.x25519_private === 'string' ? Buffer.from(o.x25519_private, 'base64') : undefined;
    if (
      typeof o.kid !== 'string' ||
      !KID_PATTERN.test(o.kid) ||
      typeof o.tenant !== 'string' ||
      raw?.length !== X25519_BYTES
    )
      return { ok: false, reason: `${path}: not a meshtail private key file (kid, tenant, x25519_private)` };
    return { ok: true, recipient: { kid: o.kid, tenant: o.tenant, key: x25519PrivateKey(raw) } };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { ok: false, reason: `${path}: ${e.code ?? 'not a meshtail private key file'}` };
  }
}

/**
 * A new key pair for `tenant` under `kid`: the private key to `privateOut` (created exclusively,
 * 0600: an existing file is never overwritten), then the public key to `<dir>/<kid>.pub`.
 */
export function writeRecipient(dir: string, kid: string, tenant: string, privateOut: string): void {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  mkdirSync(dirname(privateOut), { recursive: true, mode: 0o700 });
  writeOnce(
    privateOut,
    JSON.stringify({ kid, tenant, x25519_private: rawPrivateKey(privateKey).toString('base64') }),
  );
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeOnce(
    join(dir, `${kid}${PUB_SUFFIX}`),
    JSON.stringify({ tenant, x25519: rawPublicKey(publicKey).toString('base64') }),
  );
}

function writeOnce(path: string, text: string): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, `${text}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
