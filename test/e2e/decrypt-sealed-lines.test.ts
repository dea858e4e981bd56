// The file exporter with `encryption` (every line sealed whole) and `rotation` (gzipped rotations)
// behind the encrypt processor (record bundles inside the lines); `meshtail decrypt`, run as a
// user runs it, opens the lines and the bundles in them, from the gzipped rotations and the live
// file, and gives back the clear OTLP/JSON: every record equals the one written without encrypt.
// A tampered line fails naming its line and kid; a line under a kid the keyring lacks stays sealed.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRuns } from '../support/audit-runs.ts';
import { tempKeyring } from '../support/encrypt-keyring.ts';
import { countRecords, seededLine, startEncryptPipeline, until } from '../support/encrypt-pipeline.ts';
import { runCli } from '../support/meshtail-process.ts';
import { byRequestId, logRecords } from '../support/otlp-records.ts';

const dir = mkdtempSync(join(tmpdir(), 'meshtail-sealed-'));
const SEED = `SEED${process.pid}zs`;
const RECORDS = 600;
const SLICE = 10; // lines written at a time: small requests, several per file
let keyring = '';
let kid = '';
let plain = '';
/** The encrypted output: gzipped rotations oldest first, then the live file. */
let files: string[] = [];

const meshtail = runCli;

function decrypt(input: string, out: string, audit: string, ...more: string[]) {
  return meshtail(['decrypt', '--keys', keyring, '--in', input, '--out', out, '--audit-log', audit, ...more]);
}

/** A file's lines as on disk, gzipped rotations unpacked. */
function sealedLines(file: string): string[] {
  const bytes = readFileSync(file);
  return (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8').split('\n').filter(Boolean);
}

beforeAll(async () => {
  const ring = tempKeyring();
  keyring = ring.dir;
  kid = ring.kid;
  const run = startEncryptPipeline(dir, keyring, true, {
    encryption: { keyring },
    rotation: { max_size: '256KiB', max_backups: 0, compress: 'gzip' },
  });
  plain = run.plain!;
  await run.agent.start();
  try {
    for (let i = 0; i < RECORDS; i += SLICE) {
      const lines = Array.from({ length: SLICE }, (_, j) => `${seededLine(i + j, SEED)}\n`);
      writeFileSync(run.logFile, lines.join(''), { flag: 'a' });
      await new Promise((r) => setTimeout(r, 40)); // poll_interval is 20ms
    }
    expect(await until(() => countRecords(plain) >= RECORDS)).toBe(true);
  } finally {
    await run.agent.shutdown(10_000); // flushes the encrypted exporter and finishes the gzips
  }
  const out = dirname(run.encrypted);
  const rotated = readdirSync(out)
    .filter((n) => n.startsWith('encrypted.jsonl.'))
    .sort();
  files = [...rotated.map((n) => join(out, n)), run.encrypted];
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('meshtail decrypt on sealed lines', () => {
  it('opens gzipped rotations and the live file: the clear OTLP/JSON, every record as written', () => {
    expect(files.filter((f) => f.endsWith('.gz')).length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      const raw = readFileSync(file);
      expect(raw.includes(SEED)).toBe(false);
      for (const line of sealedLines(file)) expect(line.startsWith(`enc:v2:${kid}:`)).toBe(true);
    }
    const audit = join(dir, 'audit.jsonl');
    const outs = files.map((file, i) => {
      const out = join(dir, `opened-${i}.jsonl`);
      const r = decrypt(file, out, audit, '--who', 'alice');
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).not.toContain(SEED);
      const n = sealedLines(file).length;
      expect(r.stderr).toContain(`; ${n} sealed lines, ${n} opened`);
      return out;
    });
    const opened = byRequestId(logRecords(...outs));
    const reference = byRequestId(logRecords(plain));
    expect(opened.size).toBe(RECORDS);
    for (const [id, want] of reference) expect(opened.get(id), id).toEqual(want);
    expect(readFileSync(outs[0]!, 'utf8')).toContain(`token=${SEED}`);

    const entries = auditRuns(audit);
    expect(entries).toHaveLength(files.length);
    let records = 0;
    entries.forEach((e, i) => {
      const n = sealedLines(files[i]!).length;
      expect(e).toMatchObject({ command: 'decrypt', note: 'alice', input: files[i], outcome: 'ok' });
      expect(e.who.os_user).toBe(userInfo().username);
      expect(e.lines).toEqual({ sealed: n, opened: n, no_key: 0, failed: 0 });
      expect(e.records.sealed).toBe(e.records.total);
      expect(e.records.opened).toBe(e.records.total);
      expect(e.kids_used).toEqual({ [kid]: e.records.total });
      expect(e.opened[0]).toMatchObject({
        line: 1,
        record: 1,
        kid,
        request_id: expect.stringMatching(/^req-/),
      });
      expect(JSON.stringify(e)).not.toContain(SEED);
      records += e.records.total;
    });
    expect(records).toBe(RECORDS);
  });

  it('reads a gzipped rotation from stdin', () => {
    const gz = files.find((f) => f.endsWith('.gz'))!;
    const r = meshtail(
      ['decrypt', '--keys', keyring, '--audit-log', join(dir, 'audit-stdin.jsonl')],
      readFileSync(gz),
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(sealedLines(gz).length);
    expect(r.stdout).toContain(`token=${SEED}`);
  });

  it('fails on a tampered line, naming the line and the kid; --skip-failed leaves it sealed', () => {
    const lines = files.flatMap(sealedLines);
    const [p1, p2, k, chain, seq, b64] = lines[2]!.split(':');
    const blob = Buffer.from(b64!, 'base64');
    blob[40]! ^= 0x01;
    lines[2] = `${p1}:${p2}:${k}:${chain}:${seq}:${blob.toString('base64')}`;
    const tampered = join(dir, 'tampered.jsonl');
    writeFileSync(tampered, `${lines.join('\n')}\n`);

    const out = join(dir, 't.jsonl');
    const audit = join(dir, 'audit-t.jsonl');
    const r = decrypt(tampered, out, audit);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`line 3, key '${kid}': the sealed line does not authenticate`);
    expect(r.stderr).not.toContain(SEED);
    expect(existsSync(out)).toBe(false);
    expect(auditRuns(audit)[0]).toMatchObject({ outcome: 'failed', error: expect.stringContaining(kid) });

    const skipOut = join(dir, 's.jsonl');
    const skip = decrypt(tampered, skipOut, join(dir, 'audit-s.jsonl'), '--skip-failed');
    expect(skip.status, skip.stderr).toBe(0);
    expect(skip.stderr).toContain(`skipped line 3, key '${kid}'`);
    expect(skip.stderr).toContain(
      `; ${lines.length} sealed lines, ${lines.length - 1} opened, 1 failed (skipped)`,
    );
    expect(readFileSync(skipOut, 'utf8').split('\n')[2]).toBe(lines[2]);
    expect(auditRuns(join(dir, 'audit-s.jsonl'))[0]).toMatchObject({
      outcome: 'partial',
      lines: { failed: 1 },
    });
  });

  it('leaves lines under a kid the keyring lacks sealed, says so, and exits 3', () => {
    const other = tempKeyring().dir;
    const live = files.at(-1)!;
    const out = join(dir, 'other.jsonl');
    const r = meshtail([
      'decrypt',
      '--keys',
      other,
      '--in',
      live,
      '--out',
      out,
      '--audit-log',
      join(dir, 'a-o.jsonl'),
    ]);
    expect(r.status).toBe(3);
    const n = sealedLines(live).length;
    expect(r.stderr).toContain(
      `${n} lines sealed under key '${kid}' left as they are: no such key in the keyring`,
    );
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(live, 'utf8'));
    expect(auditRuns(join(dir, 'a-o.jsonl'))[0]).toMatchObject({
      outcome: 'partial',
      lines: { sealed: n, opened: 0, no_key: n, failed: 0 },
    });
  });
});
