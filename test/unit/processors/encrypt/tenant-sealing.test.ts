// The encrypt worker in per-tenant mode: one data key per batch and tenant, wrapped for the
// tenant's recipient (or the default recipient); each tenant's private key opens its own records
// only; a tenant with no recipient and no default fails closed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRecord } from '../../../../agent/cli/record-opener.ts';
import { writeActive, writeNewKey } from '../../../../agent/kit/keyring/keyring-writer.ts';
import { OpeningKeys } from '../../../../agent/kit/keyring/opening-keys.ts';
import { readPrivateKeyFile, writeRecipient } from '../../../../agent/kit/keyring/recipient-files.ts';
import { stateOf } from '../../../support/encrypt-keyring.ts';
import { encryptor, jsonRecord, record } from './harness.ts';

function perTenantKeyring(tenants: string[]) {
  const root = mkdtempSync(join(tmpdir(), 'meshtail-tenant-keys-'));
  const dir = join(root, 'keys');
  const pseudonymKid = writeNewKey(dir);
  const privateFiles: Record<string, string> = {};
  const kids: string[] = [];
  for (const t of tenants) {
    const kid = `r-${t || 'default'}`;
    privateFiles[t] = join(root, 'vault', `${kid}.json`);
    writeRecipient(dir, kid, t, privateFiles[t]);
    kids.push(kid);
  }
  writeActive(dir, [pseudonymKid, ...kids]);
  const opening = (t: string) => {
    const r = readPrivateKeyFile(privateFiles[t]!);
    if (!r.ok) throw new Error(r.reason);
    return new OpeningKeys(new Map(), [r.recipient]);
  };
  return { dir, opening };
}

const sealedRecord = (tenant: string | undefined, i: number) =>
  record(
    {
      'http.request.header.authorization': `Bearer tok-${i}`,
      'user.id': `user-${i}@example.com`,
      ...(tenant !== undefined && { 'meshtail.tenant': tenant }),
    },
    `line ${i}`,
  );

const head = (v: unknown) => String(v).split(':').slice(0, 4).join(':');

describe('per-tenant sealing in the encrypt worker', () => {
  it('wraps one data key per batch and tenant, and each private key opens its own tenant only', () => {
    const ring = perTenantKeyring(['acme', 'globex', '']);
    const enc = encryptor(stateOf(ring.dir));
    const tenants = ['acme', 'globex', undefined, 'initech'];
    const batch = enc.run(Array.from({ length: 40 }, (_, i) => sealedRecord(tenants[i % 4], i)));
    const heads = batch.records.map((r) => head(r.attributes['meshtail.encrypted']));
    expect(heads.every((h) => h.startsWith('enc:v3:'))).toBe(true);
    // acme, globex, no tenant, initech (which seals to the default recipient): four wraps for 40 records.
    expect(new Set(heads).size).toBe(4);
    expect(heads[2]!.split(':')[2]).toBe('r-default');
    expect(heads[3]!.split(':')[2]).toBe('r-default');
    const next = enc.run([sealedRecord('acme', 99)]);
    expect(head(next.records[0]!.attributes['meshtail.encrypted'])).not.toBe(heads[0]); // a new batch, a new data key
    expect(batch.records[0]!.attributes['user.id']).toMatch(/^ps:v1:/);

    const json = batch.records.map(jsonRecord);
    for (const [i, r] of json.entries()) {
      const tenant = tenants[i % 4] ?? '';
      const own = tenant === 'initech' ? '' : tenant;
      for (const holder of ['acme', 'globex', '']) {
        const outcome = openRecord(structuredClone(r), ring.opening(holder));
        expect(outcome.kind, `record ${i} of ${tenant} with ${holder}'s key`).toBe(
          holder === own ? 'opened' : 'no_key',
        );
      }
    }
    const opened = structuredClone(json[0]!);
    expect(openRecord(opened, ring.opening('acme'))).toEqual({
      kind: 'opened',
      kids: ['r-acme'],
      tenants: ['acme'],
    });
    expect(JSON.stringify(opened)).toContain('Bearer tok-0');
  });

  it('a tenant with no recipient, and no default, fails closed: its fields removed, never in clear', () => {
    const ring = perTenantKeyring(['acme']);
    const enc = encryptor(stateOf(ring.dir));
    const [r] = enc.run([sealedRecord('globex', 1)]).records;
    expect(JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? String(v) : v))).not.toContain('tok-1');
    expect(r!.attributes['meshtail.encrypt.error']).toBe('no recipient for the tenant');
    expect(enc.counts.get('no_key')).toBe(undefined);
    expect(enc.counts.get('failed')).toBe(1);
  });

  it('a wrapped key moved under another recipient does not open', () => {
    const ring = perTenantKeyring(['acme', 'globex']);
    const batch = encryptor(stateOf(ring.dir)).run([sealedRecord('acme', 1)]);
    const j = jsonRecord(batch.records[0]!);
    const kv = j.attributes!.find((a) => a.key === 'meshtail.encrypted')!;
    kv.value = { stringValue: String(kv.value.stringValue).replace('enc:v3:r-acme:', 'enc:v3:r-globex:') };
    expect(openRecord(j, ring.opening('globex'))).toMatchObject({ kind: 'failed', kid: 'r-globex' });
  });

  it('a pseudonymised value equal to the tenant name leaves the tenant alone, and the bundle opens', () => {
    const ring = perTenantKeyring(['acme-corp']);
    const r = record({ 'user.id': 'acme-corp', 'meshtail.tenant': 'acme-corp', 'url.query': 'q=1' }, 'l');
    const [sealed] = encryptor(stateOf(ring.dir)).run([r]).records;
    expect(sealed!.attributes['meshtail.tenant']).toBe('acme-corp');
    expect(sealed!.attributes['user.id']).toMatch(/^ps:v1:/);
    expect(openRecord(jsonRecord(sealed!), ring.opening('acme-corp')).kind).toBe('opened');
  });
  it('keeps the line in place under per-tenant sealing: its own tenant restores it, no other opens it, an edit fails', () => {
    const ring = perTenantKeyring(['acme', 'globex']);
    const enc = encryptor(stateOf(ring.dir));
    const line = (i: number) =>
      `[t] "GET /orders?token=SEED-${i} HTTP/1.1" 200 "203.0.113.${i}" "Bearer tok-SEED-${i}"`;
    const batch = enc.run(
      [0, 1].map((i) =>
        record(
          {
            'meshtail.log.format': 'istio',
            'meshtail.tenant': i === 0 ? 'acme' : 'globex',
            'url.query': `token=SEED-${i}`,
            'client.address': `203.0.113.${i}`,
            'http.request.header.authorization': `Bearer tok-SEED-${i}`,
          },
          line(i),
        ),
      ),
    );
    expect(enc.counts.get('body_in_place')).toBe(2);
    const json = batch.records.map(jsonRecord);
    for (const [i, r] of json.entries()) {
      expect(String(batch.records[i]!.attributes['meshtail.encrypted'])).toMatch(/^enc:v3:/);
      const covered = r.body?.stringValue as string;
      expect(covered).toContain('[enc]');
      expect(covered).not.toMatch(/SEED|203\.0\.113/);
      const own = i === 0 ? 'acme' : 'globex';
      const other = i === 0 ? 'globex' : 'acme';
      expect(openRecord(structuredClone(r), ring.opening(other)).kind).toBe('no_key');
      const opened = structuredClone(r);
      expect(openRecord(opened, ring.opening(own)).kind).toBe('opened');
      expect(opened.body).toEqual({ stringValue: line(i) });
      const edited = structuredClone(r);
      edited.body = { stringValue: covered.replace('GET', 'PUT') };
      expect(openRecord(edited, ring.opening(own)).kind).toBe('failed');
    }
  });
});
