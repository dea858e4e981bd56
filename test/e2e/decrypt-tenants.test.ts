// Keys a stolen node cannot use: a node sealing two tenants' records (and its file lines) to their
// recipients holds nothing that opens either — not its keyring, its data_dir, its config nor its
// environment; tenant A's private key opens A's records and leaves B's sealed (exit 3, the audit
// naming acme only); after A's recipient rotates, old records open with the old private key only
// and new ones with the new one only.
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OpeningKeys } from '../../agent/kit/keyring/opening-keys.ts';
import { readPrivateKeyFile } from '../../agent/kit/keyring/recipient-files.ts';
import { ChainReader, openSealedLine } from '../../agent/kit/keyring/sealed-line.ts';
import { until } from '../support/encrypt-pipeline.ts';
import { runCli } from '../support/meshtail-process.ts';
import { startTenantNode, type TenantNode, tenantLine } from '../support/tenant-pipeline.ts';

const root = mkdtempSync(join(tmpdir(), 'meshtail-tenants-'));
const keyring = join(root, 'node', 'keys');
const vault = join(root, 'vault'); // the key holders' machines, off the node
const SEED = { acme: 'acmeSECRETa1b2c3d4', globex: 'globexSECRETe5f6a7' };
let node: TenantNode | undefined;
afterAll(async () => {
  await node?.agent.shutdown();
  rmSync(root, { recursive: true, force: true });
});

const meshtail = (...args: string[]) => runCli(args);

let runs = 0;
function decrypt(...keys: string[]) {
  const name = `run-${++runs}`;
  const out = join(root, `${name}.out`);
  const audit = join(root, `${name}.audit`);
  const r = meshtail('decrypt', ...keys, '--in', node!.output, '--out', out, '--audit-log', audit);
  let text = '';
  try {
    text = readFileSync(out, 'utf8');
  } catch {}
  let entries: Record<string, unknown>[] = [];
  try {
    entries = readFileSync(audit, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  } catch {}
  return { ...r, text, entries };
}

/** Records in the output that the given private keys open, by tenant (in-process, to wait on). */
function openedRecords(files: string[]): number {
  const keys = new OpeningKeys(
    new Map(),
    files.map((f) => {
      const r = readPrivateKeyFile(f);
      if (!r.ok) throw new Error(r.reason);
      return r.recipient;
    }),
  );
  let text = '';
  try {
    text = readFileSync(node!.output, 'utf8');
  } catch {
    return 0;
  }
  const chain = new ChainReader();
  let n = 0;
  for (const line of text.slice(0, text.lastIndexOf('\n') + 1).split('\n')) {
    if (line === '') continue;
    const o = openSealedLine(line, new Map(), chain, keys);
    // Each record inside carries its own bundle, sealed to the same recipient.
    if (o.kind === 'opened') n += (o.text.match(/"stringValue":"enc:v3:/g) ?? []).length;
  }
  return n;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

function write(from: number, n: number) {
  let text = '';
  for (let i = from; i < from + n; i++) {
    const tenant = i % 2 === 0 ? 'acme' : 'globex';
    text += `${tenantLine(i, tenant, SEED[tenant])}\n`;
  }
  appendFileSync(node!.logFile, text);
}

const acmeKey = join(vault, 'acme.json');
const acme2Key = join(vault, 'acme-2.json');
const globexKey = join(vault, 'globex.json');

describe('per-tenant sealing', () => {
  it('keys makes a key pair per tenant: the private key 0600 where asked, only public keys in the keyring', () => {
    for (const [tenant, file] of [
      ['acme', acmeKey],
      ['globex', globexKey],
    ] as const) {
      const r = meshtail('keys', 'generate', '--dir', keyring, '--tenant', tenant, '--private-out', file);
      expect(r.status, r.stderr).toBe(0);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
    const again = meshtail(
      'keys',
      'generate',
      '--dir',
      keyring,
      '--tenant',
      'acme',
      '--private-out',
      acmeKey,
    );
    expect(again.status).toBe(1); // written once: never overwritten
    const names = readdirSync(keyring).sort();
    expect(names.filter((n) => n.endsWith('.pub'))).toHaveLength(2);
    expect(names.filter((n) => n.endsWith('.key'))).toHaveLength(1); // the pseudonym key
    const list = meshtail('keys', 'list', '--dir', keyring);
    expect(list.stdout).toMatch(/yes\s+recipient "acme"/);
    expect(list.stdout).toMatch(/yes\s+recipient "globex"/);
    expect(list.stdout).toMatch(/yes\s+pseudonym/);
  });

  it('seals each tenant to its recipient; nothing on the node opens either', async () => {
    mkdirSync(join(root, 'node'), { recursive: true });
    node = startTenantNode(root, keyring);
    await node.agent.start();
    write(0, 40);
    expect(await until(() => openedRecords([acmeKey, globexKey]) === 40)).toBe(true);
    const out = readFileSync(node.output, 'utf8');
    expect(out).not.toContain(SEED.acme);
    expect(out).not.toContain(SEED.globex);
    expect(out.split('\n')[0]).toMatch(/^enc:v3:/);

    // Everything the node holds: the keyring, data_dir, the config, and its environment.
    writeFileSync(join(root, 'node', 'environment'), JSON.stringify(process.env), { mode: 0o600 });
    const nodeFiles = filesUnder(join(root, 'node'));
    expect(nodeFiles.length).toBeGreaterThan(4);
    const privates = [acmeKey, globexKey].map(
      (f) => JSON.parse(readFileSync(f, 'utf8')).x25519_private as string,
    );
    for (const f of nodeFiles) {
      const bytes = readFileSync(f);
      for (const p of privates) {
        expect(bytes.includes(p)).toBe(false);
        expect(bytes.includes(Buffer.from(p, 'base64'))).toBe(false);
      }
    }
    for (const p of privates) expect(JSON.stringify(process.env)).not.toContain(p);
    const attempts = [
      ['--keys', keyring],
      ['--keys', join(root, 'node', 'state')],
      ...nodeFiles.map((f) => ['--private-key', f]),
    ];
    for (const a of attempts) {
      const r = decrypt(...a);
      expect(r.status, a.join(' ')).not.toBe(0);
      expect(r.text).not.toContain(SEED.acme);
      expect(r.text).not.toContain(SEED.globex);
    }
  });

  it("tenant A's private key opens A's records and leaves B's sealed (exit 3); the audit names acme", () => {
    const r = decrypt('--private-key', acmeKey);
    expect(r.status, r.stderr).toBe(3);
    expect(r.text).toContain(SEED.acme);
    expect(r.text).not.toContain(SEED.globex);
    expect(r.stderr).toMatch(/lines sealed under key '[^']+' left as they are/);
    const intent = r.entries.find((e) => e.phase === 'intent')!;
    expect(intent.tenants_opened).toEqual({ acme: 20 });
    const both = decrypt('--private-key', acmeKey, '--private-key', globexKey);
    expect(both.status, both.stderr).toBe(0);
    expect(both.text).toContain(SEED.acme);
    expect(both.text).toContain(SEED.globex);
    expect(both.text).not.toContain('enc:v'); // lines and the records' own bundles all opened
    expect(both.entries.find((e) => e.phase === 'intent')!.tenants_opened).toEqual({ acme: 20, globex: 20 });
    expect(r.stderr + both.stderr + JSON.stringify(both.entries)).not.toContain(SEED.acme);
  });

  it("after A's recipient rotates, old records open with the old private key only, new ones with the new", async () => {
    const rot = meshtail('keys', 'rotate', '--dir', keyring, '--tenant', 'acme', '--private-out', acme2Key);
    expect(rot.status, rot.stderr).toBe(0);
    // The file exporter reads a changed keyring within 5 s; lines written until then use the old key.
    await new Promise((r) => setTimeout(r, 5200));
    write(40, 40);
    expect(await until(() => openedRecords([acme2Key]) > 0, 30_000)).toBe(true);
    expect(await until(() => openedRecords([acmeKey, acme2Key, globexKey]) === 80)).toBe(true);
    const oldOnly = openedRecords([acmeKey]);
    const newOnly = openedRecords([acme2Key]);
    expect(oldOnly).toBeGreaterThanOrEqual(20);
    expect(newOnly).toBeGreaterThan(0);
    expect(oldOnly + newOnly).toBe(40);
    const old = decrypt('--private-key', acmeKey);
    const fresh = decrypt('--private-key', acme2Key);
    expect(old.status).toBe(3);
    expect(fresh.status).toBe(3);
    const opened = (t: string) =>
      new Set([...t.matchAll(/"stringValue":"req-(\d+)"/g)].map((m) => Number(m[1])));
    const o = opened(old.text);
    const f = opened(fresh.text);
    // Each acme request opens under exactly one of the two keys; the two sets cover them all.
    for (let i = 0; i < 80; i += 2) expect(o.has(i) !== f.has(i), `req-${i}`).toBe(true);
    expect(o.has(0)).toBe(true);
    expect(f.has(78)).toBe(true);
  });
});
