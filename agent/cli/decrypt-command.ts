// `meshtail decrypt --keys DIR --audit-log FILE [--in FILE|-] [--out FILE|-] [--who NAME] [--skip-failed]`:
// reads the file exporter's output (one OTLP/JSON request per line, each possibly sealed whole, the
// file possibly a gzipped rotation) or one OTLP/JSON document, opens every sealed line and `enc:v1`
// bundle the keyring can open, writes the requests back out in the same form, and appends one audit
// entry. A line or bundle that does not authenticate (wrong key, altered data) stops the run with
// exit 1 naming the line (and record) and the kid, unless --skip-failed; lines and bundles under a
// kid the keyring lacks are left sealed, noted on stderr, exit 3. Messages never carry keys or values.
import { createSecretKey, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { loadKeyring } from '../keyring/keyring.ts';
import { AuditLog, hostName, osUser } from './audit-log.ts';
import type { CliIo } from './cli-io.ts';
import { DecryptRun, DecryptStop } from './decrypt-run.ts';
import { gunzipIfCompressed } from './gunzip-input.ts';

export const DECRYPT_USAGE =
  'usage: meshtail decrypt --keys DIR --audit-log FILE [--in FILE|-] [--out FILE|-] [--who NAME] [--skip-failed]\n';

export async function runDecrypt(args: string[], io: CliIo): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args,
      options: {
        keys: { type: 'string' },
        in: { type: 'string' },
        out: { type: 'string' },
        'audit-log': { type: 'string' },
        who: { type: 'string' },
        'skip-failed': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
    }).values;
  } catch (err) {
    io.stderr.write(`meshtail decrypt: ${(err as Error).message}\n${DECRYPT_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(DECRYPT_USAGE);
    return 0;
  }
  const keysDir = values.keys as string | undefined;
  const auditPath = values['audit-log'] as string | undefined;
  if (!keysDir || !auditPath) {
    io.stderr.write(`meshtail decrypt: --keys and --audit-log are required\n${DECRYPT_USAGE}`);
    return 2;
  }
  const keys = readKeys(keysDir, io);
  if (!keys) return 1;
  let audit: AuditLog;
  try {
    audit = AuditLog.open(auditPath);
  } catch (err) {
    io.stderr.write(
      `meshtail decrypt: cannot append to the audit log ${auditPath}: ${errCode(err)}; nothing decrypted\n`,
    );
    return 1;
  }
  const input = (values.in as string | undefined) ?? '-';
  const output = (values.out as string | undefined) ?? '-';
  const run = new DecryptRun(keys, values['skip-failed'] === true, io.stderr);
  let error: string | undefined;
  try {
    const source = await gunzipIfCompressed(input === '-' ? (io.stdin as Readable) : createReadStream(input));
    const sink = output === '-' ? io.stdout : createWriteStream(output, { mode: 0o600 });
    try {
      await run.process(createInterface({ input: source, crlfDelay: Number.POSITIVE_INFINITY }), sink);
    } finally {
      if (sink !== io.stdout) {
        sink.end();
        await once(sink, 'close');
      }
    }
  } catch (err) {
    error = err instanceof DecryptStop ? err.message : `${input}: ${errCode(err)}`;
    io.stderr.write(`meshtail decrypt: ${error}\n`);
    if (output !== '-') {
      rmSync(output, { force: true });
      io.stderr.write(`meshtail decrypt: ${output} removed (incomplete)\n`);
    }
  }
  const t = run.tally;
  const l = run.lines;
  const unopened = t.no_key + t.failed + l.no_key + l.failed;
  const outcome = error ? 'failed' : unopened > 0 ? 'partial' : 'ok';
  try {
    audit.append({
      time: new Date().toISOString(),
      command: 'decrypt',
      who: (values.who as string | undefined) ?? osUser(),
      os_user: osUser(),
      host: hostName(),
      input,
      output,
      keyring: keysDir,
      outcome,
      records: t,
      lines: l,
      kids_used: Object.fromEntries(run.kidsUsed),
      opened: run.opened,
      opened_truncated: run.openedTruncated,
      ...(error ? { error } : {}),
    });
  } finally {
    audit.close();
  }
  run.reportMissing();
  io.stderr.write(
    `meshtail decrypt: ${t.total} records, ${t.sealed} sealed, ${t.opened} opened` +
      (t.no_key > 0 ? `, ${t.no_key} left sealed (no key)` : '') +
      (t.failed > 0 ? `, ${t.failed} failed (skipped)` : '') +
      (l.sealed > 0 ? `; ${l.sealed} sealed lines, ${l.opened} opened` : '') +
      (l.no_key > 0 ? `, ${l.no_key} left sealed (no key)` : '') +
      (l.failed > 0 ? `, ${l.failed} failed (skipped)` : '') +
      '\n',
  );
  if (error) return 1;
  return (t.no_key > 0 || l.no_key > 0) && !run.skipFailed ? 3 : 0;
}

function readKeys(dir: string, io: CliIo): Map<string, KeyObject> | undefined {
  const loaded = loadKeyring(dir);
  if (!loaded.ok) {
    io.stderr.write(`meshtail decrypt: ${loaded.reason}\n`);
    return undefined;
  }
  const k = loaded.keyring;
  for (const p of k.problems) io.stderr.write(`meshtail decrypt: key file skipped: ${p}\n`);
  if (k.keys.size === 0) {
    io.stderr.write(`meshtail decrypt: no usable key in ${dir}\n`);
    return undefined;
  }
  return new Map([...k.keys].map(([kid, key]) => [kid, createSecretKey(key)]));
}

function errCode(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}
