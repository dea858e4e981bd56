// Temporary keyrings for encrypt tests: real key files written the way `meshtail keys` writes them.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KeyringState, keyringState, loadKeyring } from '../../agent/kit/keyring/keyring.ts';
import { writeActive, writeNewKey } from '../../agent/kit/keyring/keyring-writer.ts';

/** A new keyring directory with one active key; returns the directory and the kid. */
export function tempKeyring(prefix = 'meshtail-keys-'): { dir: string; kid: string } {
  const dir = join(mkdtempSync(join(tmpdir(), prefix)), 'keys');
  const kid = writeNewKey(dir);
  writeActive(dir, kid);
  return { dir, kid };
}

/** Adds a key and makes it active, as `meshtail keys rotate` does; returns the new kid. */
export function rotate(dir: string): string {
  const kid = writeNewKey(dir);
  writeActive(dir, kid);
  return kid;
}

/** The state the main-thread part would publish for `dir`. */
export function stateOf(dir: string): KeyringState {
  const loaded = loadKeyring(dir);
  if (!loaded.ok) throw new Error(loaded.reason);
  const made = keyringState(loaded.keyring);
  if (!made.ok) throw new Error(made.reason);
  return made.state;
}
