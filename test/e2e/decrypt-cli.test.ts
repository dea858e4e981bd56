// Encrypt → file exporter → `meshtail decrypt`, the CLI run as a user runs it, with a key rotation
// in the middle of the stream: records under both keys open and every field equals the record the
// same line gives without encrypt. A wrong key and an altered ciphertext fail loudly, naming the
// record and the kid; the audit log gets one entry per run. No output or message carries a secret.
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditRuns } from '../support/audit-runs.ts';
import { tempKeyring } from '../support/encrypt-keyring.ts';
import { countRecords, seededLine, startEncryptPipeline, until } from '../support/encrypt-pipeline.ts';
import { runCli } from '../support/meshtail-process.ts';
import { byRequestId, logRecords } from '../support/otlp-records.ts';

const dir = mkdtempSync(join(tmpdir(), 'meshtail-decrypt-'));
const SEED = `SEED${process.pid}zq`;
const FIRST = 300;
const SECOND = 300;
let keyring = '';
let kids: string[] = [];
let encrypted = '';
let plain = '';

const meshtail = (...args: string[]) => runCli(args);

beforeAll(async () => {
  const ring = tempKeyring();
  keyring = ring.dir;
  const run = startEncryptPipeline(dir, keyring, true);
  encrypted = run.encrypted;
  plain = run.plain!;
  await run.agent.start();
  try {
    const write = (from: number, n: number) =>
      appendFileSync(
        run.logFile,
        Array.from({ length: n }, (_, i) => `${seededLine(from + i, SEED)}\n`).join(''),
      );
    write(0, FIRST);
    expect(await until(() => countRecords(encrypted) >= FIRST)).toBe(true);
    const rotated = meshtail('keys', 'rotate', '--dir', keyring);
    expect(rotated.status).toBe(0);
    const next = rotated.stdout.trim();
    kids = [ring.kid, next];
    await new Promise((r) => setTimeout(r, 300)); // poll_interval is 20ms
    write(FIRST, SECOND);
    expect(
      await until(() => countRecords(encrypted) >= FIRST + SECOND && countRecords(plain) >= FIRST + SECOND),
    ).toBe(true);
  } finally {
    await run.agent.shutdown(10_000);
  }
});

describe('meshtail decrypt', () => {
  it('opens records sealed under both keys of a rotation: every field equals the original', () => {
    const sealed = readFileSync(encrypted, 'utf8');
    expect(sealed).not.toContain(SEED);
    for (const kid of kids) expect(sealed).toContain(`enc:v2:${kid}:`);
    const out = join(dir, 'opened.jsonl');
    const audit = join(dir, 'audit.jsonl');
    const r = meshtail(
      'decrypt',
      '--keys',
      keyring,
      '--in',
      encrypted,
      '--out',
      out,
      '--audit-log',
      audit,
      '--who',
      'alice',
    );
    expect(r.stderr).not.toContain(SEED);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `${FIRST + SECOND} records, ${FIRST + SECOND} sealed, ${FIRST + SECOND} opened`,
    );

    const opened = byRequestId(logRecords(out));
    const reference = byRequestId(logRecords(plain));
    expect(opened.size).toBe(FIRST + SECOND);
    for (const [id, want] of reference) expect(opened.get(id), id).toEqual(want);

    const entries = auditRuns(audit);
    expect(entries).toHaveLength(1);
    const e = entries[0];
    expect(e).toMatchObject({ command: 'decrypt', note: 'alice', input: encrypted, outcome: 'ok' });
    expect(e.who.os_user).toBe(userInfo().username);
    expect(e.records).toEqual({ total: 600, sealed: 600, opened: 600, no_key: 0, failed: 0 });
    // The rotation is picked up within poll_interval (20ms) of the file change; the test waits 300ms.
    expect(Object.keys(e.kids_used).sort()).toEqual([...kids].sort());
    expect(e.kids_used[kids[0]!] + e.kids_used[kids[1]!]).toBe(FIRST + SECOND);
    expect(e.opened).toHaveLength(600);
    expect(e.opened[0]).toMatchObject({ line: 1, record: 1, request_id: expect.stringMatching(/^req-\d+$/) });
    expect(JSON.stringify(e)).not.toContain(SEED);
    expect(JSON.stringify(e)).not.toContain('@example.com');
  });

  it('reads stdin and writes stdout', () => {
    const r = runCli(
      ['decrypt', '--keys', keyring, '--audit-log', join(dir, 'audit-stdio.jsonl')],
      readFileSync(encrypted),
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean).length).toBe(
      readFileSync(encrypted, 'utf8').split('\n').filter(Boolean).length,
    );
    expect(r.stdout).toContain(`token=${SEED}`);
  });

  it('fails loudly with a wrong key under the right kid: exit 1, the record and the kid named', () => {
    const wrong = join(dir, 'wrong-keys');
    cpSync(keyring, wrong, { recursive: true });
    writeFileSync(join(wrong, `${kids[0]}.key`), `${Buffer.alloc(32, 7).toString('base64')}\n`, {
      mode: 0o600,
    });
    const out = join(dir, 'wrong.jsonl');
    const audit = join(dir, 'audit-wrong.jsonl');
    const r = meshtail('decrypt', '--keys', wrong, '--in', encrypted, '--out', out, '--audit-log', audit);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `line \\d+, record \\d+ \\(request req-\\d+\\), key '${kids[0]}': the bundle does not authenticate`,
      ),
    );
    expect(r.stderr).not.toContain(SEED);
    expect(existsSync(out)).toBe(false);
    expect(auditRuns(audit)[0]).toMatchObject({
      outcome: 'failed',
      error: expect.stringContaining(kids[0]!),
    });
  });

  it('leaves records under kids the keyring lacks sealed, says so, and exits 3', () => {
    const other = tempKeyring().dir;
    const out = join(dir, 'other.jsonl');
    const r = meshtail(
      'decrypt',
      '--keys',
      other,
      '--in',
      encrypted,
      '--out',
      out,
      '--audit-log',
      join(dir, 'audit-other.jsonl'),
    );
    expect(r.status).toBe(3);
    for (const kid of kids)
      expect(r.stderr).toMatch(
        new RegExp(`\\d+ records sealed under key '${kid}' left as they are: no such key in the keyring`),
      );
    expect(readFileSync(out, 'utf8')).toBe(
      readFileSync(encrypted, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => `${JSON.stringify(JSON.parse(l))}\n`)
        .join(''),
    );
  });

  it('fails loudly on a tampered ciphertext, naming the record; --skip-failed counts it instead', () => {
    const lines = readFileSync(encrypted, 'utf8').split('\n').filter(Boolean);
    const request = JSON.parse(lines[1]!);
    const target = request.resourceLogs[0].scopeLogs[0].logRecords[0];
    const kv = target.attributes.find((a: { key: string }) => a.key === 'meshtail.encrypted');
    const [p1, p2, kid, b64] = kv.value.stringValue.split(':');
    const blob = Buffer.from(b64, 'base64');
    blob[20]! ^= 0x01;
    kv.value.stringValue = `${p1}:${p2}:${kid}:${blob.toString('base64')}`;
    const rid = target.attributes.find((a: { key: string }) => a.key === 'http.request.header.x-request-id')
      .value.stringValue;
    lines[1] = JSON.stringify(request);
    const tampered = join(dir, 'tampered.jsonl');
    writeFileSync(tampered, `${lines.join('\n')}\n`);

    const r = meshtail(
      'decrypt',
      '--keys',
      keyring,
      '--in',
      tampered,
      '--out',
      join(dir, 't.jsonl'),
      '--audit-log',
      join(dir, 'audit-t.jsonl'),
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `line 2, record 1 (request ${rid}), key '${kid}': the bundle does not authenticate`,
    );

    const skip = meshtail(
      'decrypt',
      '--keys',
      keyring,
      '--in',
      tampered,
      '--out',
      join(dir, 's.jsonl'),
      '--audit-log',
      join(dir, 'audit-s.jsonl'),
      '--skip-failed',
    );
    expect(skip.status, skip.stderr).toBe(0);
    expect(skip.stderr).toContain('599 opened, 1 failed (skipped)');
    expect(auditRuns(join(dir, 'audit-s.jsonl'))[0].records.failed).toBe(1);
  });

  it('refuses to run without an audit log it can append to', () => {
    const r = meshtail(
      'decrypt',
      '--keys',
      keyring,
      '--in',
      encrypted,
      '--out',
      join(dir, 'x.jsonl'),
      '--audit-log',
      join(dir, 'no', 'such', 'dir', 'a.jsonl'),
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('cannot append to the audit log');
    expect(existsSync(join(dir, 'x.jsonl'))).toBe(false);
    expect(meshtail('decrypt', '--keys', keyring).status).toBe(2);
  });

  it('keys list shows both kids and the active one, never a key', () => {
    const r = meshtail('keys', 'list', '--dir', keyring);
    expect(r.status).toBe(0);
    const rows = r.stdout.trim().split('\n').slice(1);
    expect(rows.map((l) => l.split(/\s+/)[0])).toEqual(kids);
    expect(rows[1]).toMatch(/\syes\s+data key$/);
    const key = readFileSync(join(keyring, `${kids[0]}.key`), 'utf8').trim();
    expect(r.stdout + r.stderr).not.toContain(key);
  });
});
