// `meshtail keys generate|rotate|list --dir DIR`: manages a keyring directory (docs/encryption.md).
// generate writes a new key file (0600) and prints its kid, making it active only when nothing is;
// rotate generates and makes the new key active; list prints every kid, its file time and which is
// active. Keys are never printed.
import { parseArgs } from 'node:util';
import { loadKeyring } from '../kit/keyring/keyring.ts';
import { writeActive, writeNewKey } from '../kit/keyring/keyring-writer.ts';
import type { CliIo } from './cli-io.ts';

export const KEYS_USAGE = 'usage: meshtail keys generate|rotate|list --dir DIR\n';

export function runKeys(args: string[], io: CliIo): number {
  let parsed: { values: { dir?: string; help?: boolean }; positionals: string[] };
  try {
    const options = { dir: { type: 'string', short: 'd' }, help: { type: 'boolean', short: 'h' } } as const;
    parsed = parseArgs({ args, options, allowPositionals: true });
  } catch (err) {
    io.stderr.write(`meshtail keys: ${(err as Error).message}\n${KEYS_USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout.write(KEYS_USAGE);
    return 0;
  }
  const [action, ...extra] = parsed.positionals;
  const dir = parsed.values.dir;
  if (!dir || extra.length > 0 || !['generate', 'rotate', 'list'].includes(action ?? '')) {
    io.stderr.write(KEYS_USAGE);
    return 2;
  }
  try {
    if (action === 'list') return list(dir, io);
    const before = loadKeyring(dir);
    const previous = before.ok ? before.keyring.active : undefined;
    const kid = writeNewKey(dir);
    io.stdout.write(`${kid}\n`);
    if (action === 'rotate' || previous === undefined) {
      writeActive(dir, kid);
      io.stderr.write(
        previous === undefined
          ? `meshtail keys: ${kid} is the active key\n`
          : `meshtail keys: ${kid} is the active key (was ${previous}); ${previous} stays for decryption\n`,
      );
    } else io.stderr.write(`meshtail keys: ${kid} added; ${previous} stays active (use rotate to switch)\n`);
    return 0;
  } catch (err) {
    io.stderr.write(
      `meshtail keys: ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`,
    );
    return 1;
  }
}

function list(dir: string, io: CliIo): number {
  const loaded = loadKeyring(dir);
  if (!loaded.ok) {
    io.stderr.write(`meshtail keys: ${loaded.reason}\n`);
    return 1;
  }
  const k = loaded.keyring;
  const rows = k.info
    .slice()
    .sort((a, b) => a.created.getTime() - b.created.getTime() || a.kid.localeCompare(b.kid));
  const width = Math.max(3, ...rows.map((r) => r.kid.length));
  io.stdout.write(`${'KID'.padEnd(width)}  CREATED                   ACTIVE\n`);
  for (const r of rows)
    io.stdout.write(
      `${r.kid.padEnd(width)}  ${r.created.toISOString()}  ${r.kid === k.active ? 'yes' : ''}\n`,
    );
  for (const p of k.problems) io.stderr.write(`meshtail keys: skipped ${p}\n`);
  for (const r of rows)
    if ((r.mode & 0o077) !== 0)
      io.stderr.write(
        `meshtail keys: warning: ${r.file} is readable by group or others (mode 0${r.mode.toString(8)})\n`,
      );
  if (k.active === undefined) io.stderr.write('meshtail keys: no active key\n');
  else if (!k.keys.has(k.active))
    io.stderr.write(`meshtail keys: the active key '${k.active}' has no usable key file\n`);
  return 0;
}
