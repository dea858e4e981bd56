// Sealed means bound: a record's bundle opens only on its own record (timestamp, request id, source
// file), and a sealed file line only at its place in its file's chain. Swapped bundles, and deleted,
// duplicated or reordered sealed lines, make `meshtail decrypt` exit 1 naming them; data sealed
// before (enc:v1 bundles and lines) still opens.
import { spawnSync } from 'node:child_process';
import { createSecretKey } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { associatedData, ENVELOPE_PREFIX, seal } from '../../agent/kit/keyring/envelope.ts';
import { LineChain, sealLine } from '../../agent/kit/keyring/sealed-line.ts';
import { stateOf, tempKeyring } from '../support/encrypt-keyring.ts';
import { CLI } from '../support/meshtail-process.ts';
import { encryptor, jsonRecord, record as makeRecord } from '../unit/processors/encrypt/harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'meshtail-bound-'));
const ring = tempKeyring();
const state = stateOf(ring.dir);
const key = createSecretKey(Buffer.from(state.keys[ring.kid]!, 'base64'));

function decrypt(lines: string[], name: string) {
  const input = join(dir, `${name}.jsonl`);
  writeFileSync(input, `${lines.join('\n')}\n`);
  return spawnSync(
    process.execPath,
    [
      CLI,
      'decrypt',
      '--keys',
      ring.dir,
      '--in',
      input,
      '--out',
      join(dir, `${name}.out`),
      '--audit-log',
      join(dir, `${name}.audit`),
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
}

function sealedRecords(n: number) {
  const records = Array.from({ length: n }, (_, i) => {
    const r = makeRecord(
      {
        'http.request.header.authorization': `Bearer tok-${i}`,
        'http.request.header.x-request-id': `req-${i}`,
        'log.file.path': '/var/log/pods/a/istio-proxy/0.log',
        'meshtail.tenant': 'acme',
      },
      `line ${i}`,
    );
    r.timeUnixNano = 1_700_000_000_000_000_000n + BigInt(i);
    return r;
  });
  return encryptor(state).run(records).records.map(jsonRecord);
}

const request = (logRecords: unknown[]) =>
  JSON.stringify({ resourceLogs: [{ resource: { attributes: [] }, scopeLogs: [{ logRecords }] }] });

describe('sealed data is bound to its place', () => {
  it('opens bundles on their own records, and fails on two records whose bundles were swapped', () => {
    const [a, b, c] = sealedRecords(3);
    expect(decrypt([request([a, b, c])], 'intact').status).toBe(0);
    const bundle = (r: typeof a) => r!.attributes!.find((kv) => kv.key === 'meshtail.encrypted')!;
    const [ea, eb] = [bundle(a).value, bundle(b).value];
    bundle(a).value = eb;
    bundle(b).value = ea;
    const r = decrypt([request([a, b, c])], 'swapped');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /line 1, record 1 \(request req-0\), key '[^']+': the bundle does not authenticate/,
    );
    expect(r.stderr).toContain('moved from another record');
    expect(r.stderr).not.toContain('tok-');
  });

  function chainLines(n: number): string[] {
    const chain = new LineChain();
    return Array.from({ length: n }, (_, i) =>
      chain.seal(ring.kid, key, request([{ body: { stringValue: `l${i}` } }])),
    );
  }

  it('opens a chain of sealed lines, and two chains one after the other', () => {
    const r = decrypt([...chainLines(4), ...chainLines(3)], 'chain');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('7 sealed lines, 7 opened');
  });

  it.each([
    ['deleted', (l: string[]) => [l[0]!, l[1]!, l[3]!, l[4]!], 3, 'line 3 of chain'],
    ['duplicated', (l: string[]) => [l[0]!, l[1]!, l[1]!, l[2]!, l[3]!, l[4]!], 3, 'line 1 of chain'],
    ['reordered', (l: string[]) => [l[0]!, l[2]!, l[1]!, l[3]!, l[4]!], 2, 'line 2 of chain'],
    ['first deleted', (l: string[]) => l.slice(1), 1, 'line 1 of chain'],
  ])('fails on a %s sealed line, naming where', (_, edit, at, what) => {
    const r = decrypt(edit(chainLines(5)), `edit-${at}-${what.length}`);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`line ${at}, key '${ring.kid}': ${what}`);
    expect(r.stderr).toContain('deleted, duplicated or reordered');
  });

  it('a line moved in from another file does not open at its new place', () => {
    const here = chainLines(3);
    const there = chainLines(3);
    const r = decrypt([here[0]!, there[1]!, here[2]!], 'moved');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("line 2, key '");
  });

  it('still opens v1 lines and v1 bundles', () => {
    const v1Bundle = seal(
      ring.kid,
      key,
      Buffer.alloc(12, 1),
      JSON.stringify([{ stringValue: 'Bearer old' }]),
      associatedData(ring.kid, '', ['http.request.header.authorization']),
      ENVELOPE_PREFIX,
    );
    const rec = {
      attributes: [
        { key: 'meshtail.encrypted', value: { stringValue: v1Bundle } },
        {
          key: 'meshtail.encrypted.fields',
          value: { arrayValue: { values: [{ stringValue: 'http.request.header.authorization' }] } },
        },
      ],
    };
    const r = decrypt([sealLine(ring.kid, key, request([rec]))], 'v1');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('1 records, 1 sealed, 1 opened; 1 sealed lines, 1 opened');
  });
});
