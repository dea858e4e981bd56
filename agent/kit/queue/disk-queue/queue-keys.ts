// The keys a disk queue seals and opens segments with. The keyring format and its loader are the
// encrypt processor's (agent/kit/keyring/keyring.ts, docs/encryption.md); the active key is read
// again for every new segment, so a rotation applies from the next segment on, and every key left
// in the directory still opens the segments written under it. Messages name kids, never keys.
import { loadKeyring } from '../../keyring/keyring.ts';
import type { DiskEncryptionConfig } from '../queue-config.ts';
import { CLEAR_CIPHER, gcmCipher, newSalt, type SegmentCipher, segmentKey } from './segment-cipher.ts';

export interface SealingKey {
  /** Empty when segments are stored in clear. */
  kid: string;
  salt: Buffer;
  cipher: SegmentCipher;
}

export class QueueKeys {
  readonly #keyring: string | undefined;
  #keys = new Map<string, Buffer>();
  #active: string | undefined;

  /** Throws (with a message naming the directory, not a key) when the keyring has no usable active key. */
  constructor(encryption: DiskEncryptionConfig) {
    if (encryption === undefined)
      throw new Error('storage: disk needs encryption: { keyring: DIR } or encryption: none');
    this.#keyring = encryption === 'none' ? undefined : encryption.keyring;
    this.reload();
    if (this.#keyring !== undefined && this.#active === undefined)
      throw new Error(`queue keyring ${this.#keyring}: no usable active key`);
  }

  get encrypted(): boolean {
    return this.#keyring !== undefined;
  }

  /** Reads the keyring again; a failed read keeps the keys loaded before. */
  reload(): void {
    if (this.#keyring === undefined) return;
    const load = loadKeyring(this.#keyring);
    if (!load.ok) return;
    const { active, keys } = load.keyring;
    for (const [kid, key] of keys) this.#keys.set(kid, key);
    if (active !== undefined && keys.has(active)) this.#active = active;
  }

  /** A fresh key for a new segment. */
  forNewSegment(): SealingKey {
    if (this.#keyring === undefined || this.#active === undefined)
      return { kid: '', salt: Buffer.alloc(0), cipher: CLEAR_CIPHER };
    this.reload();
    const kid = this.#active;
    const salt = newSalt();
    return { kid, salt, cipher: gcmCipher(segmentKey(this.#keys.get(kid)!, salt)) };
  }

  /** The cipher of an existing segment, or a reason it cannot be opened. */
  forSegment(kid: string, salt: Buffer): SegmentCipher | string {
    if (kid === '') return CLEAR_CIPHER;
    let key = this.#keys.get(kid);
    if (!key) {
      this.reload();
      key = this.#keys.get(kid);
    }
    return key ? gcmCipher(segmentKey(key, salt)) : `no key '${kid}' in the keyring`;
  }
}
