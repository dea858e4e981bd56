// `meshtail keys generate|rotate|list --dir DIR`: manages a keyring directory (docs/encryption.md).
// A new keyring is per-tenant: generate/rotate with `--tenant T` (or `--default`, the recipient of
// records without a tenant of their own) and `--private-out FILE` make an X25519 key pair, the
// private key written once (0600) to FILE, the public key `<kid>.pub` into DIR; the first such call
// also makes the pseudonym key. `--symmetric` starts a symmetric keyring instead (`<kid>.key`
// data keys), which generate/rotate then keep extending. generate makes the new key active only
// when nothing is (for its tenant); rotate makes it active. list prints kids, times, tenants and
// which are active. Key material is never printed.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KEY_SUFFIX, type Keyring, loadKeyring } from '../kit/keyring/keyring.ts';
import { newKid, writeActive, writeNewKey } from '../kit/keyring/keyring-writer.ts';
import { PUB_SUFFIX, writeRecipient } from '../kit/keyring/recipient-files.ts';
import type { CliIo } from './cli-io.ts';

export const KEYS_USAGE =
  'usage: meshtail keys generate|rotate --dir DIR (--tenant T | --default) --private-out FILE\n' +
  '       meshtail keys generate|rotate --dir DIR [--symmetric | --pseudonym]\n' +
  '       meshtail keys list --dir DIR\n';

interface KeysArgs {
  dir?: string;
  tenant?: string;
  default?: boolean;
  'private-out'?: string;
  symmetric?: boolean;
  pseudonym?: boolean;
  help?: boolean;
}

export function runKeys(args: string[], io: CliIo): number {
  let parsed: { values: KeysArgs; positionals: string[] };
  try {
    const options = {
      dir: { type: 'string', short: 'd' },
      tenant: { type: 'string' },
      default: { type: 'boolean' },
      'private-out': { type: 'string' },
      symmetric: { type: 'boolean' },
      pseudonym: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    } as const;
    parsed = parseArgs({ args, options, allowPositionals: true });
  } catch (err) {
    io.stderr.write(`meshtail keys: ${(err as Error).message}\n${KEYS_USAGE}`);
    return 2;
  }
  const v = parsed.values;
  if (v.help) {
    io.stdout.write(KEYS_USAGE);
    return 0;
  }
  const [action, ...extra] = parsed.positionals;
  const dir = v.dir;
  if (!dir || extra.length > 0 || !['generate', 'rotate', 'list'].includes(action ?? '')) {
    io.stderr.write(KEYS_USAGE);
    return 2;
  }
  if (action === 'list') return list(dir, io);
  const loaded = loadKeyring(dir);
  const ring = loaded.ok ? loaded.keyring : undefined;
  const symmetric = ring ? ring.recipients.size === 0 && ring.keys.size > 0 : v.symmetric === true;
  const recipient = v.tenant !== undefined || v.default === true;
  const wrong =
    (v.tenant !== undefined && v.default === true) ||
    (v.symmetric && (recipient || v.pseudonym)) ||
    (v.pseudonym && recipient) ||
    (symmetric && (recipient || v.pseudonym)) ||
    (!symmetric && !v.symmetric && !v.pseudonym && (!recipient || !v['private-out'])) ||
    (v.symmetric && ring && ring.recipients.size > 0);
  if (wrong) {
    io.stderr.write(
      `meshtail keys: ${symmetric ? `${dir} is a symmetric keyring (no tenants)` : 'a per-tenant keyring needs --tenant T or --default, and --private-out FILE'}\n${KEYS_USAGE}`,
    );
    return 2;
  }
  try {
    if (symmetric || v.symmetric || v.pseudonym) return symmetricKey(dir, action === 'rotate', ring, io);
    return recipientKey(dir, v.tenant ?? '', v['private-out']!, action === 'rotate', ring, io);
  } catch (err) {
    io.stderr.write(
      `meshtail keys: ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`,
    );
    return 1;
  }
}

/** A `<kid>.key`: the data key of a symmetric keyring, or the pseudonym key of a per-tenant one. */
function symmetricKey(dir: string, rotate: boolean, ring: Keyring | undefined, io: CliIo): number {
  const previous = ring?.active;
  const kid = writeNewKey(dir);
  io.stdout.write(`${kid}\n`);
  if (rotate || previous === undefined) {
    writeActive(dir, activeLines(ring, kid));
    io.stderr.write(
      previous === undefined
        ? `meshtail keys: ${kid} is the active key\n`
        : `meshtail keys: ${kid} is the active key (was ${previous}); ${previous} stays for decryption\n`,
    );
  } else io.stderr.write(`meshtail keys: ${kid} added; ${previous} stays active (use rotate to switch)\n`);
  return 0;
}

function recipientKey(
  dir: string,
  tenant: string,
  privateOut: string,
  rotate: boolean,
  ring: Keyring | undefined,
  io: CliIo,
): number {
  let kid = newKid();
  while (existsSync(join(dir, `${kid}${PUB_SUFFIX}`))) kid = newKid();
  writeRecipient(dir, kid, tenant, privateOut);
  io.stdout.write(`${kid}\n`);
  const name = tenant === '' ? 'the default recipient' : `tenant ${JSON.stringify(tenant)}`;
  const previous = ring?.activeRecipients.get(tenant);
  let pseudonymKid = ring?.active;
  if (pseudonymKid === undefined) {
    pseudonymKid = writeNewKey(dir);
    io.stderr.write(`meshtail keys: ${pseudonymKid} is the pseudonym key (HMAC, on the node)\n`);
  }
  const recipients = new Map(ring?.activeRecipients);
  if (rotate || previous === undefined) recipients.set(tenant, kid);
  writeActive(dir, [
    pseudonymKid,
    ...[...recipients].sort(([a], [b]) => a.localeCompare(b)).map(([, k]) => k),
  ]);
  io.stderr.write(
    previous === undefined
      ? `meshtail keys: ${kid} seals for ${name}; its private key is in ${privateOut}, keep it off the node\n`
      : rotate
        ? `meshtail keys: ${kid} seals for ${name} (was ${previous}); keep ${previous}'s private key to open older records\n`
        : `meshtail keys: ${kid} added for ${name}; ${previous} stays active (use rotate to switch)\n`,
  );
  return 0;
}

/** The `active` file's lines with `kid` as the symmetric key and the active recipients kept. */
function activeLines(ring: Keyring | undefined, kid: string): string[] {
  return [kid, ...(ring ? [...ring.activeRecipients.values()] : [])];
}

function list(dir: string, io: CliIo): number {
  const loaded = loadKeyring(dir);
  if (!loaded.ok) {
    io.stderr.write(`meshtail keys: ${loaded.reason}\n`);
    return 1;
  }
  const k = loaded.keyring;
  const perTenant = k.recipients.size > 0;
  const activeKids = new Set(k.activeRecipients.values());
  const rows = [
    ...k.info.map((r) => ({
      kid: r.kid,
      created: r.created,
      what: perTenant ? 'pseudonym' : 'data key',
      active: r.kid === k.active,
    })),
    ...[...k.recipients].map(([kid, r]) => ({
      kid,
      created: statSync(join(dir, `${kid}${PUB_SUFFIX}`)).mtime,
      what: r.tenant === '' ? 'recipient (default)' : `recipient ${JSON.stringify(r.tenant)}`,
      active: activeKids.has(kid),
    })),
  ].sort((a, b) => a.created.getTime() - b.created.getTime() || a.kid.localeCompare(b.kid));
  const width = Math.max(3, ...rows.map((r) => r.kid.length));
  io.stdout.write(`${'KID'.padEnd(width)}  CREATED                   ACTIVE  FOR\n`);
  for (const r of rows)
    io.stdout.write(
      `${r.kid.padEnd(width)}  ${r.created.toISOString()}  ${(r.active ? 'yes' : '').padEnd(6)}  ${r.what}\n`,
    );
  for (const p of k.problems) io.stderr.write(`meshtail keys: skipped ${p}\n`);
  if (k.active === undefined)
    io.stderr.write(`meshtail keys: no active ${perTenant ? 'pseudonym ' : ''}key\n`);
  else if (!k.keys.has(k.active))
    io.stderr.write(`meshtail keys: the active key '${k.active}' has no usable ${k.active}${KEY_SUFFIX}\n`);
  return 0;
}
