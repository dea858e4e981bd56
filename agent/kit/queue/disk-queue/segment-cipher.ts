// How a segment's frames are sealed. With a keyring: AES-256-GCM, one key per segment derived with
// HKDF-SHA256 from the keyring's active key and a random 16-byte salt in the segment header, and the
// frame's index as the nonce. Deriving per segment keeps nonces unique without random 96-bit nonces
// (no 2^32-messages-per-key budget to watch), and each frame authenticates alone, so a torn tail
// loses only the torn frame. Without (encryption: none): a CRC-32 per frame detects torn writes.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

export const TAG_BYTES = 16;
const HKDF_INFO = Buffer.from('meshtail queue segment v1');

export interface SegmentCipher {
  /** Bytes a sealed frame adds to its plaintext. */
  readonly overhead: number;
  /** `aad`: the frame header, authenticated with the frame. */
  seal(index: number, aad: Buffer, plain: Buffer): Buffer;
  /** Undefined when the frame does not authenticate (torn, corrupt, or the wrong key). */
  open(index: number, aad: Buffer, sealed: Buffer): Buffer | undefined;
}

export function segmentKey(masterKey: Buffer, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, salt, HKDF_INFO, 32));
}

export function newSalt(): Buffer {
  return randomBytes(16);
}

function nonce(index: number): Buffer {
  const n = Buffer.alloc(12);
  n.writeBigUInt64BE(BigInt(index), 4);
  return n;
}

export function gcmCipher(key: Buffer): SegmentCipher {
  return {
    overhead: TAG_BYTES,
    seal(index, aad, plain) {
      const c = createCipheriv('aes-256-gcm', key, nonce(index));
      c.setAAD(aad);
      const body = c.update(plain);
      c.final();
      return Buffer.concat([body, c.getAuthTag()]);
    },
    open(index, aad, sealed) {
      if (sealed.length < TAG_BYTES) return undefined;
      try {
        const d = createDecipheriv('aes-256-gcm', key, nonce(index));
        d.setAAD(aad);
        d.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
        const body = d.update(sealed.subarray(0, sealed.length - TAG_BYTES));
        d.final();
        return body;
      } catch {
        return undefined;
      }
    },
  };
}

export const CLEAR_CIPHER: SegmentCipher = {
  overhead: 4,
  seal(_index, aad, plain) {
    const out = Buffer.allocUnsafe(plain.length + 4);
    plain.copy(out);
    out.writeUInt32BE(crc32(plain, crc32(aad)), plain.length);
    return out;
  },
  open(_index, aad, sealed) {
    if (sealed.length < 4) return undefined;
    const plain = sealed.subarray(0, sealed.length - 4);
    return crc32(plain, crc32(aad)) === sealed.readUInt32BE(plain.length) ? plain : undefined;
  },
};
