// Per-tenant keyrings on disk: `.pub` recipients and the `active` lines, what a keyring with a
// problem does (a bad file skipped and named, a second active recipient for one tenant ignored),
// and private key files (written once, refused when others can read them).
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyringState, loadKeyring } from '../../../../../agent/kit/keyring/keyring.ts';
import { writeActive, writeNewKey } from '../../../../../agent/kit/keyring/keyring-writer.ts';
import { unwrapDataKey, wrapNewDataKey } from '../../../../../agent/kit/keyring/recipient.ts';
import { readPrivateKeyFile, writeRecipient } from '../../../../../agent/kit/keyring/recipient-files.ts';
import { x25519PublicKey } from '../../../../../agent/kit/keyring/x25519-keys.ts';

function ring() {
  const root = mkdtempSync(join(tmpdir(), 'meshtail-recipients-'));
  const dir = join(root, 'keys');
  const pseudonym = writeNewKey(dir);
  writeRecipient(dir, 'a1', 'acme', join(root, 'a1.json'));
  writeRecipient(dir, 'a2', 'acme', join(root, 'a2.json'));
  writeRecipient(dir, 'd1', '', join(root, 'd1.json'));
  return { root, dir, pseudonym };
}

describe('per-tenant keyring files', () => {
  it('loads recipients, one active per tenant; a second for the same tenant is ignored and named', () => {
    const { dir, pseudonym } = ring();
    writeActive(dir, [pseudonym, 'a1', 'a2', 'd1']);
    writeFileSync(join(dir, 'bad.pub'), 'not json', { mode: 0o600 });
    const loaded = loadKeyring(dir);
    if (!loaded.ok) throw new Error(loaded.reason);
    const k = loaded.keyring;
    expect(k.active).toBe(pseudonym);
    expect(Object.fromEntries(k.activeRecipients)).toEqual({ acme: 'a1', '': 'd1' });
    expect(k.problems.join('\n')).toContain("'a2' is a second active recipient");
    expect(k.problems.join('\n')).toContain('bad.pub');
    const made = keyringState(k);
    if (!made.ok) throw new Error(made.reason);
    expect(Object.keys(made.state.keys)).toEqual([pseudonym]);
    expect(Object.fromEntries(Object.entries(made.state.recipients!).map(([t, r]) => [t, r.kid]))).toEqual({
      acme: 'a1',
      '': 'd1',
    });
  });

  it('refuses a per-tenant keyring whose active file names no recipient', () => {
    const { dir, pseudonym } = ring();
    writeActive(dir, pseudonym);
    const loaded = loadKeyring(dir);
    if (!loaded.ok) throw new Error(loaded.reason);
    const made = keyringState(loaded.keyring);
    expect(made.ok).toBe(false);
    expect(made.ok ? '' : made.reason).toContain('names a recipient');
  });

  it('private key files: written once, opened by their own kid and tenant only, refused when others can read', () => {
    const { root, dir } = ring();
    expect(() => writeRecipient(dir, 'a3', 'acme', join(root, 'a1.json'))).toThrow(/EEXIST/);
    const read = readPrivateKeyFile(join(root, 'a1.json'));
    if (!read.ok) throw new Error(read.reason);
    expect(read.recipient).toMatchObject({ kid: 'a1', tenant: 'acme' });
    const loaded = loadKeyring(dir);
    if (!loaded.ok) throw new Error(loaded.reason);
    const pub = x25519PublicKey(loaded.keyring.recipients.get('a1')!.key);
    const { dataKey, wrapped } = wrapNewDataKey('a1', 'acme', pub);
    expect(unwrapDataKey('a1', 'acme', read.recipient.key, wrapped)).toEqual(dataKey);
    expect(unwrapDataKey('a1', 'globex', read.recipient.key, wrapped)).toBeUndefined();
    expect(unwrapDataKey('a2', 'acme', read.recipient.key, wrapped)).toBeUndefined();
    const other = readPrivateKeyFile(join(root, 'a2.json'));
    expect(other.ok && unwrapDataKey('a1', 'acme', other.recipient.key, wrapped)).toBeUndefined();
    chmodSync(join(root, 'a1.json'), 0o640);
    const refused = readPrivateKeyFile(join(root, 'a1.json'));
    expect(refused.ok).toBe(false);
    expect(refused.ok ? '' : refused.reason).toContain('readable by group or others');
    expect(refused.ok ? '' : refused.reason).not.toContain(read.recipient.key.export({ format: 'jwk' }).d!);
  });
});
