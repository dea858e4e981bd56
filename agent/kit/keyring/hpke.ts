// HPKE (RFC 9180) base mode, single shot, for one suite family: DHKEM(X25519, HKDF-SHA256),
// HKDF-SHA256, AES-GCM (AES-256-GCM is what meshtail seals with; AES-128-GCM is here so RFC 9180
// A.1's published vector checks the KEM, the KDF labels and the key schedule). Built from
// node:crypto's X25519, HMAC and AES-GCM; test/unit/agent/kit/keyring/hpke.test.ts holds the vector.
import {
  createCipheriv,
  createDecipheriv,
  diffieHellman,
  generateKeyPairSync,
  hash,
  type KeyObject,
} from 'node:crypto';
import { publicKeyOf, rawPublicKey, x25519PublicKey } from './x25519-keys.ts';

export type HpkeAead = 'aes-128-gcm' | 'aes-256-gcm';

const KEM_ID = 0x0020;
const KDF_ID = 0x0001;
const AEAD_IDS: Record<HpkeAead, number> = { 'aes-128-gcm': 0x0001, 'aes-256-gcm': 0x0002 };
const KEY_BYTES: Record<HpkeAead, number> = { 'aes-128-gcm': 16, 'aes-256-gcm': 32 };
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Nenc of DHKEM(X25519): the encapsulated key is the ephemeral public key, 32 bytes. */
export const ENC_BYTES = 32;
const HPKE_V1 = Buffer.from('HPKE-v1');
const EMPTY = Buffer.alloc(0);
const MODE_BASE = Buffer.from([0]);

function i2osp(n: number, width: number): Buffer {
  const b = Buffer.alloc(width);
  b.writeUIntBE(n, 0, width);
  return b;
}

const KEM_SUITE = Buffer.concat([Buffer.from('KEM'), i2osp(KEM_ID, 2)]);

function hpkeSuite(aead: HpkeAead): Buffer {
  return Buffer.concat([Buffer.from('HPKE'), i2osp(KEM_ID, 2), i2osp(KDF_ID, 2), i2osp(AEAD_IDS[aead], 2)]);
}

const BLOCK = 64;
const IPAD = Buffer.alloc(BLOCK, 0x36);
const OPAD = Buffer.alloc(BLOCK, 0x5c);

/**
 * HMAC-SHA256 (RFC 2104) over one-shot crypto.hash: ~2.5 µs against ~13 µs for createHmac, whose
 * per-call setup dominates these short inputs (bench/tenant-sealing.bench.ts); a wrap makes eight.
 */
function hmac(key: Buffer, message: Buffer): Buffer {
  const k = Buffer.alloc(BLOCK);
  (key.length > BLOCK ? (hash('sha256', key, 'buffer') as Buffer) : key).copy(k);
  const inner = Buffer.allocUnsafe(BLOCK);
  const outer = Buffer.allocUnsafe(BLOCK);
  for (let i = 0; i < BLOCK; i++) {
    inner[i] = k[i]! ^ IPAD[i]!;
    outer[i] = k[i]! ^ OPAD[i]!;
  }
  const ih = hash('sha256', Buffer.concat([inner, message]), 'buffer') as Buffer;
  return hash('sha256', Buffer.concat([outer, ih]), 'buffer') as Buffer;
}

/** HKDF-Extract (RFC 5869): an empty salt is HashLen zeros, which HMAC pads an empty key to. */
function extract(salt: Buffer, ikm: Buffer): Buffer {
  return hmac(salt, ikm);
}

function expand(prk: Buffer, info: Buffer, length: number): Buffer {
  const out: Buffer[] = [];
  let t: Buffer = EMPTY;
  for (let i = 1; out.length * 32 < length; i++) {
    t = hmac(prk, Buffer.concat([t, info, Buffer.from([i])]));
    out.push(t);
  }
  return Buffer.concat(out).subarray(0, length);
}

function labeledExtract(suite: Buffer, salt: Buffer, label: string, ikm: Buffer): Buffer {
  return extract(salt, Buffer.concat([HPKE_V1, suite, Buffer.from(label), ikm]));
}

function labeledExpand(suite: Buffer, prk: Buffer, label: string, info: Buffer, length: number): Buffer {
  const labeled = Buffer.concat([i2osp(length, 2), HPKE_V1, suite, Buffer.from(label), info]);
  return expand(prk, labeled, length);
}

/** DeriveKeyPair's secret key (RFC 9180 7.1.3, X25519: no clamping here, X25519 clamps). */
export function deriveX25519Secret(ikm: Buffer): Buffer {
  const prk = labeledExtract(KEM_SUITE, EMPTY, 'dkp_prk', ikm);
  return labeledExpand(KEM_SUITE, prk, 'sk', EMPTY, 32);
}

function sharedSecret(dh: Buffer, enc: Buffer, pkRm: Buffer): Buffer {
  const prk = labeledExtract(KEM_SUITE, EMPTY, 'eae_prk', dh);
  return labeledExpand(KEM_SUITE, prk, 'shared_secret', Buffer.concat([enc, pkRm]), 32);
}

export interface HpkeContext {
  key: Buffer;
  baseNonce: Buffer;
}

/** key_schedule_context by suite and info: constant for meshtail's one info string. */
const contexts = new Map<string, Buffer>();

function scheduleContext(aead: HpkeAead, suite: Buffer, info: Buffer): Buffer {
  const id = `${aead}:${info.toString('hex')}`;
  let context = contexts.get(id);
  if (!context) {
    const pskIdHash = labeledExtract(suite, EMPTY, 'psk_id_hash', EMPTY);
    const infoHash = labeledExtract(suite, EMPTY, 'info_hash', info);
    context = Buffer.concat([MODE_BASE, pskIdHash, infoHash]);
    if (contexts.size < 16) contexts.set(id, context);
  }
  return context;
}

/** KeySchedule for mode_base (no PSK): the AEAD key and base nonce. */
export function keySchedule(aead: HpkeAead, shared: Buffer, info: Buffer): HpkeContext {
  const suite = hpkeSuite(aead);
  const context = scheduleContext(aead, suite, info);
  const secret = labeledExtract(suite, shared, 'secret', EMPTY);
  return {
    key: labeledExpand(suite, secret, 'key', context, KEY_BYTES[aead]),
    baseNonce: labeledExpand(suite, secret, 'base_nonce', context, NONCE_BYTES),
  };
}

export interface Encapsulated {
  enc: Buffer;
  shared: Buffer;
}

/** Encap(pkR); `pkRm` is pkR's raw form when the caller has it; `ephemeral` only for test vectors. */
export function encap(pkR: KeyObject, ephemeral?: KeyObject, pkRm?: Buffer): Encapsulated {
  const pair = ephemeral ? undefined : generateKeyPairSync('x25519');
  const skE = ephemeral ?? pair!.privateKey;
  const enc = rawPublicKey(pair ? pair.publicKey : publicKeyOf(skE));
  const dh = diffieHellman({ privateKey: skE, publicKey: pkR });
  return { enc, shared: sharedSecret(dh, enc, pkRm ?? rawPublicKey(pkR)) };
}

export function decap(enc: Buffer, skR: KeyObject): Buffer {
  const dh = diffieHellman({ privateKey: skR, publicKey: x25519PublicKey(enc) });
  return sharedSecret(dh, enc, rawPublicKey(publicKeyOf(skR)));
}

/** Context.Seal at sequence 0 (the nonce is the base nonce): ciphertext | tag. */
export function sealOnce(aead: HpkeAead, ctx: HpkeContext, aad: Buffer, pt: Buffer): Buffer {
  const c = createCipheriv(aead, ctx.key, ctx.baseNonce);
  c.setAAD(aad);
  return Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]);
}

/** Context.Open at sequence 0; undefined when the tag does not verify. */
export function openOnce(aead: HpkeAead, ctx: HpkeContext, aad: Buffer, ct: Buffer): Buffer | undefined {
  if (ct.length < TAG_BYTES) return undefined;
  const d = createDecipheriv(aead, ctx.key, ctx.baseNonce);
  d.setAAD(aad);
  d.setAuthTag(ct.subarray(ct.length - TAG_BYTES));
  try {
    return Buffer.concat([d.update(ct.subarray(0, ct.length - TAG_BYTES)), d.final()]);
  } catch {
    return undefined;
  }
}
