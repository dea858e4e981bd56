// HPKE against RFC 9180's published vector A.1 (DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
// AES-128-GCM, base mode): key derivation, encapsulation, the key schedule and the first
// encryptions. The RFC publishes no X25519 + AES-256-GCM vector; that suite differs only in its
// suite id and key length, checked here by a round trip and by its key differing from A.1's.
import { describe, expect, it } from 'vitest';
import {
  decap,
  deriveX25519Secret,
  encap,
  keySchedule,
  openOnce,
  sealOnce,
} from '../../../../../agent/kit/keyring/hpke.ts';
import { publicKeyOf, rawPublicKey, x25519PrivateKey } from '../../../../../agent/kit/keyring/x25519-keys.ts';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
// RFC 9180, Appendix A.1.1.
const A1 = {
  info: hex('4f6465206f6e2061204772656369616e2055726e'),
  ikmE: hex('7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234'),
  pkEm: '37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431',
  skEm: '52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736',
  ikmR: hex('6db9df30aa07dd42ee5e8181afdb977e538f5e1fec8a06223f33f7013e525037'),
  pkRm: '3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d',
  skRm: '4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8',
  shared: 'fe0e18c9f024ce43799ae393c7e8fe8fce9d218875e8227b0187c04e7d2ea1fc',
  key: '4531685d41d65f03dc48f6b8302c05b0',
  baseNonce: '56d890e5accaaf011cff4b7d',
  pt: hex('4265617574792069732074727574682c20747275746820626561757479'),
  aad0: hex('436f756e742d30'),
  ct0: 'f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a',
};

describe('HPKE (RFC 9180)', () => {
  it('derives the key pairs of A.1 from their ikm', () => {
    const skE = deriveX25519Secret(A1.ikmE);
    const skR = deriveX25519Secret(A1.ikmR);
    expect(skE.toString('hex')).toBe(A1.skEm);
    expect(skR.toString('hex')).toBe(A1.skRm);
    expect(rawPublicKey(publicKeyOf(x25519PrivateKey(skE))).toString('hex')).toBe(A1.pkEm);
    expect(rawPublicKey(publicKeyOf(x25519PrivateKey(skR))).toString('hex')).toBe(A1.pkRm);
  });

  it('encapsulates, schedules keys and seals as A.1, and the recipient opens it', () => {
    const skE = x25519PrivateKey(hex(A1.skEm));
    const skR = x25519PrivateKey(hex(A1.skRm));
    const { enc, shared } = encap(publicKeyOf(skR), skE);
    expect(enc.toString('hex')).toBe(A1.pkEm);
    expect(shared.toString('hex')).toBe(A1.shared);
    expect(decap(enc, skR).toString('hex')).toBe(A1.shared);
    const ctx = keySchedule('aes-128-gcm', shared, A1.info);
    expect(ctx.key.toString('hex')).toBe(A1.key);
    expect(ctx.baseNonce.toString('hex')).toBe(A1.baseNonce);
    const ct = sealOnce('aes-128-gcm', ctx, A1.aad0, A1.pt);
    expect(ct.toString('hex')).toBe(A1.ct0);
    expect(openOnce('aes-128-gcm', ctx, A1.aad0, ct)).toEqual(A1.pt);
  });

  it('AES-256-GCM: a 32-byte key of its own suite id, a round trip, and a tampered byte refused', () => {
    const skR = x25519PrivateKey(hex(A1.skRm));
    const { enc, shared } = encap(publicKeyOf(skR));
    const sender = keySchedule('aes-256-gcm', shared, A1.info);
    expect(sender.key.length).toBe(32);
    expect(sender.key.subarray(0, 16).toString('hex')).not.toBe(
      keySchedule('aes-128-gcm', shared, A1.info).key.toString('hex'),
    );
    const ct = sealOnce('aes-256-gcm', sender, A1.aad0, A1.pt);
    const receiver = keySchedule('aes-256-gcm', decap(enc, skR), A1.info);
    expect(openOnce('aes-256-gcm', receiver, A1.aad0, ct)).toEqual(A1.pt);
    ct[0]! ^= 1;
    expect(openOnce('aes-256-gcm', receiver, A1.aad0, ct)).toBeUndefined();
    expect(
      openOnce(
        'aes-256-gcm',
        receiver,
        hex('00'),
        Buffer.from(sealOnce('aes-256-gcm', sender, A1.aad0, A1.pt)),
      ),
    ).toBeUndefined();
  });
});
