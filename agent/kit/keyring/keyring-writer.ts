// Writes keyring files for `meshtail keys`: a new key file (mode 0600, created exclusively, so an
// existing key is never overwritten) and the `active` file (written to a temporary file and renamed,
// so a reader sees the old or the new kid, never a torn one).
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIVE_FILE, KEY_BYTES, KEY_SUFFIX } from './keyring.ts';

/** A new key id: the UTC date and 6 random hex digits, e.g. `k20250301-9f2c1a`. */
export function newKid(now = new Date()): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  return `k${day}-${randomBytes(3).toString('hex')}`;
}

/** Creates `<kid>.key` with 32 random bytes; returns the kid. Never returns or prints the key. */
export function writeNewKey(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (;;) {
    const kid = newKid();
    let fd: number;
    try {
      fd = openSync(join(dir, `${kid}${KEY_SUFFIX}`), 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
    try {
      writeSync(fd, `${randomBytes(KEY_BYTES).toString('base64')}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return kid;
  }
}

/** Makes `kid` the key that encrypts (per-tenant keyrings: a list, one kid a line). */
export function writeActive(dir: string, kid: string | readonly string[]): void {
  const tmp = join(dir, `.${ACTIVE_FILE}.tmp`);
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, `${typeof kid === 'string' ? kid : kid.join('\n')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, ACTIVE_FILE));
}
