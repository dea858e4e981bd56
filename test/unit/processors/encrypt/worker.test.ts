import { createSecretKey, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openRecord } from '../../../../agent/cli/record-opener.ts';
import { anyValueJson } from '../../../../agent/kit/keyring/any-value.ts';
import type { KeyringState } from '../../../../agent/kit/keyring/keyring.ts';
import { rotate, stateOf, tempKeyring } from '../../../support/encrypt-keyring.ts';
import { attributeMap, encryptor, jsonRecord, record } from './harness.ts';

const SECRET = 'Bearer s3cr3t-SEED-7f1c';

function keysOf(...states: KeyringState[]): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const s of states)
    for (const [kid, b64] of Object.entries(s.keys))
      keys.set(kid, createSecretKey(Buffer.from(b64, 'base64')));
  return keys;
}

function sensitive() {
  return {
    'http.request.method': 'GET',
    'url.path': '/api/orders',
    'url.query': 'token=SEED-q&page=2',
    'http.request.header.authorization': SECRET,
    'http.request.header.x-request-id': 'r-1',
    'user.id': 'alice@example.com',
    'client.address': '203.0.113.9',
    'meshtail.tenant': 'acme',
  };
}

describe('encrypt worker', () => {
  it('seals the sensitive fields and the body into one enc:v2 attribute and pseudonymises identifiers (body: with_fields)', () => {
    const { dir, kid } = tempKeyring();
    const enc = encryptor(stateOf(dir), { body: 'with_fields' });
    const r = enc.run([record(sensitive(), `GET /api/orders?token=SEED-q ${SECRET}`)]).records[0]!;
    const a = r.attributes;
    expect(a['meshtail.encrypted']).toMatch(new RegExp(`^enc:v2:${kid}:[A-Za-z0-9+/]+=*$`));
    expect(a['meshtail.encrypted.fields']).toEqual([
      'http.request.header.authorization',
      'url.query',
      'user.id',
      'client.address',
      'body',
    ]);
    expect(a['url.query']).toBeUndefined();
    expect(a['http.request.header.authorization']).toBeUndefined();
    expect(a['user.id']).toMatch(new RegExp(`^ps:v1:${kid}:[0-9a-f]{32}$`));
    expect(a['client.address']).toMatch(new RegExp(`^ps:v1:${kid}:[0-9a-f]{32}$`));
    expect(a['url.path']).toBe('/api/orders');
    expect(a['http.request.header.x-request-id']).toBe('r-1');
    expect(r.body).toBeNull();
    expect(JSON.stringify(jsonRecord(r))).not.toMatch(/SEED|alice|203\.0\.113/);
    expect(enc.counts.get('sealed')).toBe(1);
    expect(enc.counts.get('pseudonymized')).toBe(2);
  });

  it('round-trips every field, typed, through openRecord', () => {
    const { dir } = tempKeyring();
    const state = stateOf(dir);
    const original = { ...sensitive(), 'http.request.header.cookie': ['a=1', 'b=2'], 'linkerd.user': 42 };
    const r = encryptor(state).run([record({ ...original }, 'line')]).records[0]!;
    const json = jsonRecord(r);
    expect(openRecord(json, keysOf(state))).toEqual({ kind: 'opened', kids: [state.active] });
    expect(attributeMap(json)).toEqual(
      Object.fromEntries(Object.entries(original).map(([k, v]) => [k, anyValueJson(v)])),
    );
    expect(json.body).toEqual({ stringValue: 'line' });
  });

  it('leaves records without sensitive fields untouched and costs them no crypto', () => {
    const { dir } = tempKeyring();
    const enc = encryptor(stateOf(dir));
    const attrs = { 'url.path': '/healthz', 'http.response.status_code': 200 };
    const r = enc.run([record({ ...attrs }, 'GET /healthz')]).records[0]!;
    expect(r.attributes).toEqual(attrs);
    expect(r.body).toBe('GET /healthz');
    expect(enc.counts.size).toBe(0);
  });

  it('gives equal pseudonyms for equal values under one key, and different ones across keys', () => {
    const { dir } = tempKeyring();
    const first = stateOf(dir);
    const a = encryptor(first).run([
      record({ 'user.id': 'alice' }),
      record({ 'user.id': 'alice' }),
      record({ 'user.id': 'bob' }),
    ]);
    const [p1, p2, p3] = a.records.map((r) => r.attributes['user.id']);
    expect(p1).toBe(p2);
    expect(p3).not.toBe(p1);
    // Stable across processor instances (workers) and runs for the same key.
    expect(encryptor(first).run([record({ 'user.id': 'alice' })]).records[0]!.attributes['user.id']).toBe(p1);
    rotate(dir);
    const later = encryptor(stateOf(dir)).run([record({ 'user.id': 'alice' })]).records[0]!.attributes[
      'user.id'
    ];
    expect(later).not.toBe(p1);
    expect(String(later).split(':')[3]).not.toBe(String(p1).split(':')[3]);
  });

  it('switches to the new key in a running worker when the state changes', () => {
    const { dir, kid } = tempKeyring();
    let state = stateOf(dir);
    const enc = encryptor(() => state);
    const before = enc.run([record({ 'user.id': 'alice', 'url.query': 'q=1' })]).records[0]!.attributes;
    const next = rotate(dir);
    state = stateOf(dir);
    const after = enc.run([record({ 'user.id': 'alice', 'url.query': 'q=1' })]).records[0]!.attributes;
    expect(before['user.id']).toMatch(`ps:v1:${kid}:`);
    expect(before['meshtail.encrypted']).toMatch(`enc:v2:${kid}:`);
    expect(after['user.id']).toMatch(`ps:v1:${next}:`);
    expect(after['meshtail.encrypted']).toMatch(`enc:v2:${next}:`);
  });

  it('uses a fresh nonce for every record', () => {
    const { dir } = tempKeyring();
    const enc = encryptor(stateOf(dir));
    const records = Array.from({ length: 2000 }, () => record({ 'url.query': 'same' }, 'same'));
    const nonces = enc
      .run(records)
      .records.map((r) =>
        Buffer.from(String(r.attributes['meshtail.encrypted']).split(':')[3]!, 'base64')
          .subarray(0, 12)
          .toString('hex'),
      );
    expect(new Set(nonces).size).toBe(2000);
  });

  it('binds the tenant and the field list: a bundle moved or relabelled does not open', () => {
    const { dir } = tempKeyring();
    const state = stateOf(dir);
    const keys = keysOf(state);
    const moved = jsonRecord(encryptor(state).run([record(sensitive())]).records[0]!);
    moved.attributes!.find((kv) => kv.key === 'meshtail.tenant')!.value = { stringValue: 'globex' };
    expect(openRecord(moved, keys)).toMatchObject({ kind: 'failed', kid: state.active });
    const relabelled = jsonRecord(encryptor(state).run([record(sensitive())]).records[0]!);
    const fields = relabelled.attributes!.find((kv) => kv.key === 'meshtail.encrypted.fields')!;
    (fields.value.arrayValue as { values: unknown[] }).values.reverse();
    expect(openRecord(relabelled, keys)).toMatchObject({ kind: 'failed' });
  });

  it("opens with the request resource's tenant when the record lost its own", () => {
    const { dir } = tempKeyring();
    const state = stateOf(dir);
    const json = jsonRecord(encryptor(state).run([record(sensitive())]).records[0]!);
    json.attributes = json.attributes!.filter((kv) => kv.key !== 'meshtail.tenant');
    expect(openRecord(structuredClone(json), keysOf(state))).toMatchObject({ kind: 'failed' });
    expect(openRecord(json, keysOf(state), 'acme')).toEqual({ kind: 'opened', kids: [state.active] });
  });

  it('fails closed without a key: the fields are removed, never passed in clear', () => {
    const enc = encryptor(undefined);
    const r = enc.run([record(sensitive(), `line with ${SECRET}`)]).records[0]!;
    expect(r.attributes['http.request.header.authorization']).toBeUndefined();
    expect(r.attributes['url.query']).toBeUndefined();
    expect(r.attributes['user.id']).toBeUndefined();
    expect(r.body).toBeNull();
    expect(r.attributes['meshtail.encrypt.error']).toBe('no active key');
    expect(enc.counts.get('no_key')).toBe(1);
  });

  it('honours body: never, and one-way pseudonyms', () => {
    const { dir } = tempKeyring();
    const enc = encryptor(stateOf(dir), { body: 'never', recoverable_pseudonyms: false });
    const r = enc.run([record({ 'user.id': 'alice', 'url.query': 'q=1' }, 'kept')]).records[0]!;
    expect(r.body).toBe('kept');
    expect(r.attributes['meshtail.encrypted.fields']).toEqual(['url.query']);
    const only = enc.run([record({ 'user.id': 'alice' }, 'kept')]).records[0]!;
    expect(only.attributes['meshtail.encrypted']).toBeUndefined();
    expect(only.attributes['user.id']).toMatch(/^ps:v1:/);
  });

  it('nests an earlier envelope inside a second one, and both open', () => {
    const { dir } = tempKeyring();
    const first = stateOf(dir);
    const r = encryptor(first).run([record({ 'url.query': 'q=1' }, 'line')]).records[0]!;
    rotate(dir);
    const second = stateOf(dir);
    r.attributes['http.request.header.cookie'] = 'c=2';
    encryptor(second).run([r]);
    const json = jsonRecord(r);
    expect(openRecord(json, keysOf(second))).toEqual({ kind: 'opened', kids: [second.active, first.active] });
    expect(attributeMap(json)).toEqual({
      'url.query': { stringValue: 'q=1' },
      'http.request.header.cookie': { stringValue: 'c=2' },
    });
    expect(json.body).toEqual({ stringValue: 'line' });
  });
});

describe('a pseudonym covers its value everywhere in the record', () => {
  it('replaces the pseudonymised client address in source.address, forwarded headers and the body', () => {
    const { dir } = tempKeyring();
    const ip = '203.0.113.9';
    const enc = encryptor(stateOf(dir), { fields: [], body: 'never' });
    const r = enc.run([
      record(
        {
          'client.address': ip,
          'source.address': ip,
          'http.request.header.x-forwarded-for': `${ip}, 10.0.0.1`,
          'http.request.header.forwarded': `for=${ip}:4711;proto=https`,
          'http.request.header.x-real-ip': [ip],
          'destination.address': '203.0.113.90',
          'user.id': 'alice@example.com',
          'url.path': '/users/alice@example.com/profile',
        },
        `${ip} - - "GET /users/alice@example.com/profile" from ${ip}`,
      ),
    ]).records[0]!;
    const a = r.attributes;
    const ps = a['client.address'] as string;
    expect(ps).toMatch(/^ps:v1:/);
    expect(a['source.address']).toBe(ps);
    expect(a['http.request.header.x-forwarded-for']).toBe(`${ps}, 10.0.0.1`);
    expect(a['http.request.header.forwarded']).toBe(`for=${ps}:4711;proto=https`);
    expect(a['http.request.header.x-real-ip']).toEqual([ps]);
    // A longer address that starts with the same digits is another address.
    expect(a['destination.address']).toBe('203.0.113.90');
    expect(a['url.path']).toBe(`/users/${a['user.id']}/profile`);
    expect(r.body).toBe(`${ps} - - "GET /users/${a['user.id']}/profile" from ${ps}`);
    expect(JSON.stringify(jsonRecord(r))).not.toMatch(/203\.0\.113\.9\b(?!0)|alice/);
  });
});
