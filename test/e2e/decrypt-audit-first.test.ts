// Audit before reveal: `meshtail decrypt` killed right after its first plaintext record has already
// made its audit entry durable: who (the OS user, never only what --who says) and every record it
// was going to open. A run that completes appends its outcome under the same run id.
import { spawn, spawnSync } from 'node:child_process';
import { createSecretKey } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKeyring } from '../../agent/kit/keyring/keyring.ts';
import { sealLine } from '../../agent/kit/keyring/sealed-line.ts';
import { auditLines, auditRuns } from '../support/audit-runs.ts';
import { tempKeyring } from '../support/encrypt-keyring.ts';
import { CLI } from '../support/meshtail-process.ts';

const SECRET = `S3CR3T${process.pid}`;
/** Far more output than a pipe holds (64 KiB), so the child blocks on stdout until it is killed. */
const LINES = 3000;

function sealedInput(dir: string) {
  const { dir: keys, kid } = tempKeyring();
  const loaded = loadKeyring(keys);
  if (!loaded.ok) throw new Error(loaded.reason);
  const key = createSecretKey(loaded.keyring.keys.get(kid)!);
  const request = (i: number) =>
    JSON.stringify({
      resourceLogs: [
        {
          resource: { attributes: [] },
          scopeLogs: [
            {
              logRecords: [
                {
                  body: { stringValue: `token=${SECRET}-${i} ${'x'.repeat(100)}` },
                  attributes: [
                    { key: 'http.request.header.x-request-id', value: { stringValue: `req-${i}` } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
  const input = join(dir, 'sealed.jsonl');
  writeFileSync(
    input,
    Array.from({ length: LINES }, (_, i) => `${sealLine(kid, key, request(i))}\n`).join(''),
  );
  return { keys, kid, input };
}

describe('decrypt audits before it reveals', () => {
  it('killed after its first plaintext record, the audit log already holds its entry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshtail-audit-first-'));
    const { keys, kid, input } = sealedInput(dir);
    const audit = join(dir, 'audit.jsonl');
    const child = spawn(
      process.execPath,
      [CLI, 'decrypt', '--keys', keys, '--in', input, '--audit-log', audit, '--who', 'ticket-42'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // Wait for the first plaintext, then stop reading and kill: the run never gets to its end.
    const first = await new Promise<string>((resolve, reject) => {
      let seen = '';
      child.stdout.on('data', (chunk: Buffer) => {
        seen += chunk.toString('utf8');
        if (seen.includes(SECRET)) {
          child.stdout.pause();
          resolve(seen);
        }
      });
      child.on('exit', () => reject(new Error('decrypt ended before the test could kill it')));
    });
    expect(first).toContain(`token=${SECRET}-0`);
    child.kill('SIGKILL');
    await exited;

    const entries = auditRuns(audit);
    expect(auditLines(audit)).toHaveLength(1);
    const e = entries[0];
    expect(e).toMatchObject({ phase: 'intent', command: 'decrypt', input, note: 'ticket-42' });
    expect(e.who.os_user).toBe(userInfo().username);
    expect(e.lines).toMatchObject({ sealed: LINES, opened: LINES });
    expect(e.opened).toHaveLength(LINES);
    expect(e.opened[0]).toMatchObject({ line: 1, record: 1, kid, request_id: 'req-0' });
    expect(JSON.stringify(e)).not.toContain(SECRET);
  });

  it('appends the outcome under the same run id when the run completes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshtail-audit-first-'));
    const { keys, input } = sealedInput(dir);
    const audit = join(dir, 'audit.jsonl');
    const r = spawnSync(
      process.execPath,
      [CLI, 'decrypt', '--keys', keys, '--in', input, '--out', join(dir, 'out.jsonl'), '--audit-log', audit],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    const [intent, outcome] = auditLines(audit);
    expect(intent).toMatchObject({ phase: 'intent' });
    expect(outcome).toMatchObject({ phase: 'outcome', run: intent!.run, outcome: 'ok' });
    expect(readFileSync(join(dir, 'out.jsonl'), 'utf8')).toContain(SECRET);
  });
});
