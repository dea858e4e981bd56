// `meshtail decrypt --keys DIR | --private-key FILE… --audit-log FILE [--in FILE|-] [--out FILE|-] [--who NAME] [--skip-failed]`:
// reads the file exporter's output (one OTLP/JSON request per line, each possibly sealed whole, the
// file possibly a gzipped rotation) or one OTLP/JSON document, opens every sealed line and `enc:v1`
// bundle the keyring can open, writes the requests back out in the same form, and appends one audit
// entry before (intent: who, what it will open) and one after (outcome). A line or bundle that does not authenticate (wrong key, altered data) stops the run with
// exit 1 naming the line (and record) and the kid, unless --skip-failed; lines and bundles under a
// kid the keyring lacks are left sealed, noted on stderr, exit 3. Messages never carry keys or values.
// Per-tenant sealing (enc:v3): each --private-key opens its own tenant's records; the others stay
// sealed (exit 3), and the audit entry names the tenants opened.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { type Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { loadKeyring } from '../kit/keyring/keyring.ts';
import { OpeningKeys } from '../kit/keyring/opening-keys.ts';
import { type PrivateRecipient, readPrivateKeyFile } from '../kit/keyring/recipient-files.ts';
import { auditIdentity } from './audit-identity.ts';
import { AuditLog, hostName } from './audit-log.ts';
import type { CliIo } from './cli-io.ts';
import { DecryptRun, DecryptStop } from './decrypt-run.ts';
import { gunzipIfCompressed } from './gunzip-input.ts';
import { Spool } from './input-spool.ts';

export const DECRYPT_USAGE =
  'usage: meshtail decrypt (--keys DIR | --private-key FILE ...) --audit-log FILE [--in FILE|-] [--out FILE|-] [--who NAME] [--skip-failed]\n';

export async function runDecrypt(args: string[], io: CliIo): Promise<number> {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    values = parseArgs({
      args,
      options: {
        keys: { type: 'string' },
        'private-key': { type: 'string', multiple: true },
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
  const privateFiles = (values['private-key'] as string[] | undefined) ?? [];
  const auditPath = values['audit-log'] as string | undefined;
  if ((!keysDir && privateFiles.length === 0) || !auditPath) {
    io.stderr.write(
      `meshtail decrypt: --keys or --private-key, and --audit-log, are required\n${DECRYPT_USAGE}`,
    );
    return 2;
  }
  const keys = readKeys(keysDir, privateFiles, io);
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
  const skipFailed = values['skip-failed'] === true;
  const note = values.who as string | undefined;
  const base = {
    run: randomUUID(),
    command: 'decrypt' as const,
    who: auditIdentity(),
    ...(note !== undefined && { note }),
    host: hostName(),
    input,
    output,
    keyring: keysDir ?? '',
    ...(privateFiles.length > 0 && { private_keys: privateFiles }),
  };
  let spool: Spool | undefined;
  try {
    // Pass 1, in memory: what this run will open, so the audit entry lists it before anything is
    // revealed. Both passes read one private copy of the input: what is audited is what is opened.
    const survey = new DecryptRun(keys, skipFailed, NULL_SINK);
    try {
      spool = await Spool.of(input === '-' ? (io.stdin as Readable) : createReadStream(input));
      await survey.process(await linesOf(spool), NULL_SINK);
    } catch (err) {
      const error = describeError(err, input);
      io.stderr.write(`meshtail decrypt: ${error}\n`);
      audit.append({ ...base, phase: 'outcome', time: now(), outcome: 'failed', ...summary(survey), error });
      return 1;
    }
    audit.append({ ...base, phase: 'intent', time: now(), ...summary(survey) });
    // Pass 2: the entry above is on disk (fsynced); now the plaintext goes out.
    const run = new DecryptRun(keys, skipFailed, io.stderr);
    let error: string | undefined;
    try {
      const sink = output === '-' ? io.stdout : createWriteStream(output, { mode: 0o600 });
      try {
        await run.process(await linesOf(spool), sink);
      } finally {
        if (sink !== io.stdout) {
          sink.end();
          await once(sink, 'close');
        }
      }
    } catch (err) {
      error = describeError(err, input);
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
    const { opened: _listed, opened_truncated: _cut, ...counts } = summary(run);
    audit.append({ ...base, phase: 'outcome', time: now(), outcome, ...counts, ...(error ? { error } : {}) });
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
    return (t.no_key > 0 || l.no_key > 0) && !skipFailed ? 3 : 0;
  } finally {
    audit.close();
    spool?.remove();
  }
}

const NULL_SINK = new Writable({ write: (_chunk, _enc, done) => done() });

function now(): string {
  return new Date().toISOString();
}

function summary(run: DecryptRun) {
  return {
    records: run.tally,
    lines: run.lines,
    kids_used: Object.fromEntries(run.kidsUsed),
    ...(run.tenantsOpened.size > 0 && { tenants_opened: Object.fromEntries(run.tenantsOpened) }),
    opened: run.opened,
    opened_truncated: run.openedTruncated,
  };
}

async function linesOf(spool: Spool) {
  const source = await gunzipIfCompressed(createReadStream(spool.path));
  return createInterface({ input: source, crlfDelay: Number.POSITIVE_INFINITY });
}

function describeError(err: unknown, input: string): string {
  return err instanceof DecryptStop ? err.message : `${input}: ${errCode(err)}`;
}

/** The keys to open with; undefined (after saying why) when a file is unusable or there are none. */
function readKeys(dir: string | undefined, privateFiles: string[], io: CliIo): OpeningKeys | undefined {
  let symmetric = new Map<string, Buffer>();
  if (dir !== undefined) {
    const loaded = loadKeyring(dir);
    if (!loaded.ok) {
      io.stderr.write(`meshtail decrypt: ${loaded.reason}\n`);
      return undefined;
    }
    const k = loaded.keyring;
    for (const p of k.problems) io.stderr.write(`meshtail decrypt: key file skipped: ${p}\n`);
    symmetric = k.keys;
  }
  const recipients: PrivateRecipient[] = [];
  for (const file of privateFiles) {
    const read = readPrivateKeyFile(file);
    if (!read.ok) {
      io.stderr.write(`meshtail decrypt: ${read.reason}\n`);
      return undefined;
    }
    recipients.push(read.recipient);
  }
  const keys = new OpeningKeys(symmetric, recipients);
  if (keys.size === 0) {
    io.stderr.write(`meshtail decrypt: no usable key in ${dir}\n`);
    return undefined;
  }
  return keys;
}

function errCode(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}
