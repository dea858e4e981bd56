// Sealed means bound, in per-tenant mode (enc:v3): bundles swapped between two records (of one
// batch, so under one data key, or of two tenants), and deleted, duplicated, reordered or moved
// sealed lines make `meshtail decrypt --private-key` exit 1 naming them, as test/e2e/
// decrypt-bound.test.ts checks for the symmetric keyring.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeActive, writeNewKey } from '../../agent/kit/keyring/keyring-writer.ts';
import { readPrivateKeyFile, writeRecipient } from '../../agent/kit/keyring/recipient-files.ts';
import { LineChain } from '../../agent/kit/keyring/sealed-line.ts';
import { x25519PublicKey } from '../../agent/kit/keyring/x25519-keys.ts';
import { stateOf } from '../support/encrypt-keyring.ts';
import { CLI } from '../support/meshtail-process.ts';
import { encryptor, jsonRecord, record as makeRecord } from '../unit/processors/encrypt/harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'meshtail-bound-v3-'));
const keys = join(dir, 'keys');
writeRecipient(keys, 'r-acme', 'acme', join(dir, 'acme.json'));
writeRecipient(keys, 'r-globex', 'globex', join(dir, 'globex.json'));
writeActive(keys, [writeNewKey(keys), 'r-acme', 'r-globex']);
const state = stateOf(keys);
const acmePublic = x25519PublicKey(Buffer.from(state.recipients!.acme!.key, 'base64'));
const privateKeys = ['--private-key', join(dir, 'acme.json'), '--private-key', join(dir, 'globex.json')];

function decrypt(lines: string[], name: string) {
  const input = join(dir, `${name}.jsonl`);
  writeFileSync(input, `${lines.join('\n')}\n`);
  const out = join(dir, `${name}.out`);
  return spawnSync(
    process.execPath,
    [CLI, 'decrypt', ...privateKeys, '--in', input, '--out', out, '--audit-log', join(dir, `${name}.audit`)],
    { encoding: 'utf8', timeout: 60_000 },
  );
}

function sealedRecords(tenants: string[]) {
  const records = tenants.map((tenant, i) => {
    const r = makeRecord(
      {
        'http.request.header.authorization': `Bearer tok-${i}`,
        'http.request.header.x-request-id': `req-${i}`,
        'log.file.path': '/var/log/pods/a/istio-proxy/0.log',
        'meshtail.tenant': tenant,
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

const bundle = (r: ReturnType<typeof sealedRecords>[number]) =>
  r.attributes!.find((kv) => kv.key === 'meshtail.encrypted')!;

describe('sealed data is bound to its place, per-tenant sealing', () => {
  it('fails on bundles swapped between two records of one batch and tenant (one data key)', () => {
    expect(readPrivateKeyFile(join(dir, 'acme.json')).ok).toBe(true);
    const [a, b, c] = sealedRecords(['acme', 'acme', 'globex']);
    expect(String(bundle(a!).value.stringValue)).toMatch(/^enc:v3:r-acme:/);
    const intact = decrypt([request([a, b, c])], 'intact');
    expect(intact.status, intact.stderr).toBe(0);
    const [ea, eb] = [bundle(a!).value, bundle(b!).value];
    bundle(a!).value = eb;
    bundle(b!).value = ea;
    const r = decrypt([request([a, b, c])], 'swapped');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /line 1, record 1 \(request req-0\), key 'r-acme': the bundle does not authenticate/,
    );
    expect(r.stderr).not.toContain('tok-');
  });

  it("fails on one tenant's bundle moved onto another tenant's record", () => {
    const [a, , c] = sealedRecords(['acme', 'acme', 'globex']);
    bundle(c!).value = bundle(a!).value;
    const r = decrypt([request([c])], 'cross-tenant');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/line 1, record 1 \(request req-2\), key 'r-acme'/);
  });

  function chainLines(n: number): string[] {
    const chain = new LineChain();
    return Array.from({ length: n }, (_, i) =>
      chain.sealTo('r-acme', 'acme', acmePublic, request([{ body: { stringValue: `l${i}` } }])),
    );
  }

  it('opens chains of v3 lines', () => {
    const lines = [...chainLines(4), ...chainLines(3)];
    expect(lines[0]).toMatch(/^enc:v3:r-acme:[0-9a-f]{16}:0:/);
    const r = decrypt(lines, 'chain');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('7 sealed lines, 7 opened');
  });

  it.each([
    ['deleted', (l: string[]) => [l[0]!, l[1]!, l[3]!, l[4]!], 3, 'line 3 of chain'],
    ['duplicated', (l: string[]) => [l[0]!, l[1]!, l[1]!, l[2]!, l[3]!, l[4]!], 3, 'line 1 of chain'],
    ['reordered', (l: string[]) => [l[0]!, l[2]!, l[1]!, l[3]!, l[4]!], 2, 'line 2 of chain'],
    ['first deleted', (l: string[]) => l.slice(1), 1, 'line 1 of chain'],
  ])('fails on a %s v3 line, naming where', (_, edit, at, what) => {
    const r = decrypt(edit(chainLines(5)), `edit-${at}-${what.length}`);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`line ${at}, key 'r-acme': ${what}`);
    expect(r.stderr).toContain('deleted, duplicated or reordered');
  });

  it('a v3 line moved in from another file does not open at its new place', () => {
    const here = chainLines(3);
    const there = chainLines(3);
    const r = decrypt([here[0]!, there[1]!, here[2]!], 'moved');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("line 2, key 'r-acme'");
  });
});
