// `meshtail keys` in-process: a new keyring is per-tenant; the symmetric mode stays a choice and
// sticks to its keyring; rotation moves one tenant's active recipient and leaves the others; the
// pseudonym key rotates on its own; no key material is printed.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runKeys } from '../../../../agent/cli/keys-command.ts';
import { loadKeyring } from '../../../../agent/kit/keyring/keyring.ts';

function keys(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) => {
    const s = new PassThrough();
    s.on('data', (c) => into.push(String(c)));
    return s;
  };
  const stdout = sink(out);
  const stderr = sink(err);
  const status = runKeys(args, { stdin: new PassThrough(), stdout, stderr });
  return { status, stdout: out.join(''), stderr: err.join('') };
}

const fresh = () => mkdtempSync(join(tmpdir(), 'meshtail-keys-cmd-'));

describe('meshtail keys', () => {
  it('a new keyring is per-tenant: without --tenant/--default and --private-out it is a usage error', () => {
    const root = fresh();
    const dir = join(root, 'keys');
    expect(keys('generate', '--dir', dir).status).toBe(2);
    expect(keys('generate', '--dir', dir, '--tenant', 'acme').status).toBe(2);
    expect(
      keys('generate', '--dir', dir, '--tenant', 'a', '--default', '--private-out', join(root, 'x')).status,
    ).toBe(2);
    const r = keys(
      'generate',
      '--dir',
      dir,
      '--default',
      '--private-out',
      join(root, 'vault', 'default.json'),
    );
    expect(r.status, r.stderr).toBe(0);
    const k = loadKeyring(dir);
    expect(k.ok && k.keyring.activeRecipients.get('')).toBe(r.stdout.trim());
    const priv = readFileSync(join(root, 'vault', 'default.json'), 'utf8');
    expect(r.stdout + r.stderr).not.toContain(JSON.parse(priv).x25519_private);
  });

  it('rotating one tenant keeps the others and the pseudonym key; --pseudonym rotates only that', () => {
    const root = fresh();
    const dir = join(root, 'keys');
    const acme = keys(
      'generate',
      '--dir',
      dir,
      '--tenant',
      'acme',
      '--private-out',
      join(root, 'a1'),
    ).stdout.trim();
    const globex = keys(
      'generate',
      '--dir',
      dir,
      '--tenant',
      'globex',
      '--private-out',
      join(root, 'g1'),
    ).stdout.trim();
    const added = keys('generate', '--dir', dir, '--tenant', 'acme', '--private-out', join(root, 'a2'));
    expect(added.stderr).toContain(`${acme} stays active`);
    const before = loadKeyring(dir);
    if (!before.ok) throw new Error(before.reason);
    const pseudonym = before.keyring.active;
    expect(before.keyring.activeRecipients.get('acme')).toBe(acme);
    const rotated = keys(
      'rotate',
      '--dir',
      dir,
      '--tenant',
      'acme',
      '--private-out',
      join(root, 'a3'),
    ).stdout.trim();
    const after = loadKeyring(dir);
    if (!after.ok) throw new Error(after.reason);
    expect(Object.fromEntries(after.keyring.activeRecipients)).toEqual({ acme: rotated, globex });
    expect(after.keyring.active).toBe(pseudonym);
    const p = keys('rotate', '--dir', dir, '--pseudonym');
    expect(p.status).toBe(0);
    const last = loadKeyring(dir);
    if (!last.ok) throw new Error(last.reason);
    expect(last.keyring.active).toBe(p.stdout.trim());
    expect(last.keyring.active).not.toBe(pseudonym);
    expect(Object.fromEntries(last.keyring.activeRecipients)).toEqual({ acme: rotated, globex });
    expect(keys('generate', '--dir', dir, '--symmetric').status).toBe(2);
  });

  it('the symmetric mode: --symmetric for a new keyring, then kept; tenants refused on it', () => {
    const dir = join(fresh(), 'keys');
    const first = keys('generate', '--dir', dir, '--symmetric');
    expect(first.status).toBe(0);
    const second = keys('rotate', '--dir', dir);
    expect(second.status).toBe(0);
    expect(readFileSync(join(dir, 'active'), 'utf8').trim()).toBe(second.stdout.trim());
    expect(readdirSync(dir).filter((n) => n.endsWith('.pub'))).toEqual([]);
    const t = keys('generate', '--dir', dir, '--tenant', 'acme', '--private-out', join(dir, '..', 'p'));
    expect(t.status).toBe(2);
    expect(t.stderr).toContain('symmetric keyring');
  });
});
