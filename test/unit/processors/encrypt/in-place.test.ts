// body: in_place (the default): the line stays readable with each sensitive value replaced, decrypt
// gives back the original line byte for byte, the covered line is bound, and every case where a
// value cannot be replaced safely seals the whole body instead, counted by reason.
import { createSecretKey, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type LogRecordJson, openRecord } from '../../../../agent/cli/record-opener.ts';
import type { KeyringState } from '../../../../agent/kit/keyring/keyring.ts';
import type { Attributes, AttributeValue } from '../../../../agent/kit/record/record.ts';
import { stateOf, tempKeyring } from '../../../support/encrypt-keyring.ts';
import { encryptor, jsonRecord, record } from './harness.ts';

function keysOf(s: KeyringState): Map<string, KeyObject> {
  return new Map(
    Object.entries(s.keys).map(([kid, b64]) => [kid, createSecretKey(Buffer.from(b64, 'base64'))]),
  );
}

function setup(options: Record<string, unknown> = {}) {
  const state = stateOf(tempKeyring().dir);
  return { enc: encryptor(state, options), keys: keysOf(state) };
}

/** Runs one record through encrypt; returns it, its OTLP/JSON form and what opening gives back. */
function sealOne(attributes: Attributes, body: AttributeValue, options: Record<string, unknown> = {}) {
  const { enc, keys } = setup(options);
  const values = Object.values(attributes).filter((v): v is string => typeof v === 'string');
  // A built-in format's record unless the test says otherwise (in_place_formats).
  const r = enc.run([record({ 'meshtail.log.format': 'istio', ...attributes }, body)]).records[0]!;
  const json = jsonRecord(r);
  const opened = structuredClone(json);
  const outcome = openRecord(opened, keys);
  return { r, json, opened, outcome, counts: enc.counts, values };
}

const IP = '203.0.113.9';
const MARKER = '[enc]';

describe('encrypt body: in_place', () => {
  it('keeps the line, replaces sealed values by the marker and identifiers by their pseudonym, and restores it exactly', () => {
    const line = `[t] "GET /orders?token=SEED-q HTTP/1.1" 200 "${IP},10.0.0.1" "Bearer SEED-b" ${IP}:5000`;
    const attrs = {
      'url.query': 'token=SEED-q',
      'http.request.header.x-forwarded-for': `${IP},10.0.0.1`,
      'http.request.header.authorization': 'Bearer SEED-b',
      'client.address': IP,
      'url.path': '/orders',
    };
    const { r, json, opened, outcome, counts } = sealOne(attrs, line);
    const ps = r.attributes['client.address'] as string;
    expect(r.body).toBe(`[t] "GET /orders?${MARKER} HTTP/1.1" 200 "${MARKER}" "${MARKER}" ${ps}:5000`);
    expect(r.attributes['meshtail.encrypted.fields']).toContain('body.spans');
    expect(JSON.stringify(json)).not.toMatch(/SEED|203\.0\.113/);
    expect(outcome.kind).toBe('opened');
    expect(opened.body).toEqual({ stringValue: line });
    expect(Object.fromEntries(opened.attributes!.map((kv) => [kv.key, kv.value.stringValue]))).toMatchObject(
      attrs,
    );
    expect(counts.get('body_in_place')).toBe(1);
  });

  it('replaces the client address repeated in the path, the user agent and the request id', () => {
    const line = `GET /ip/${IP}/x "agent ${IP}" "req:${IP}" ${IP}`;
    const attrs = {
      'client.address': IP,
      'url.path': `/ip/${IP}/x`,
      'user_agent.original': `agent ${IP}`,
      'http.request.header.x-request-id': `req:${IP}`,
    };
    const { r, opened, outcome } = sealOne(attrs, line);
    expect(r.body).not.toContain(IP);
    expect((r.body as string).split(r.attributes['client.address'] as string)).toHaveLength(5);
    expect(outcome.kind).toBe('opened');
    expect(opened.body).toEqual({ stringValue: line });
    // Glued to an id character it is not a token, so it cannot take the pseudonym: the body is sealed.
    const glued = sealOne({ ...attrs, 'http.request.header.x-request-id': `req-${IP}` }, `${line} req-${IP}`);
    expect(glued.r.body).toBeNull();
    expect(glued.counts.get('body_sealed_residue')).toBe(1);
    expect(glued.opened.body).toEqual({ stringValue: `${line} req-${IP}` });
  });

  it('replaces a query string wherever it stands, in the path too, and restores both', () => {
    const line = 'GET /a=1&b=2/x?a=1&b=2 200';
    const { r, opened } = sealOne({ 'url.query': 'a=1&b=2', 'url.path': '/a=1&b=2/x' }, line);
    expect(r.body).toBe(`GET /${MARKER}/x?${MARKER} 200`);
    expect(opened.body).toEqual({ stringValue: line });
  });

  it('restores a body that already holds the marker or a pseudonym-looking text, and a value holding either', () => {
    for (const [value, line] of [
      ['tok-[enc]-9', `GET /?q [enc] tok-[enc]-9 ps:v1:k:00`],
      ['ps:v1:fake:abcd', `GET /ps:v1:fake:abcd ${MARKER}`],
      ['x[enc', `[enc] x[enc [enc]`],
    ] as const) {
      const { r, opened, outcome, counts } = sealOne({ 'url.query': value }, line);
      expect(outcome.kind).toBe('opened');
      expect(opened.body).toEqual({ stringValue: line });
      if (typeof r.body === 'string') expect(r.body).not.toContain(value);
      else expect(counts.get('body_sealed_residue')).toBe(1);
    }
  });

  it('seals the whole body when a replacement would form the value again', () => {
    const { r, opened, counts } = sealOne({ 'url.query': MARKER }, `GET /${MARKER}`);
    expect(r.body).toBeNull();
    expect(counts.get('body_sealed_residue')).toBe(1);
    expect(opened.body).toEqual({ stringValue: `GET /${MARKER}` });
  });

  it('seals the whole body of a JSON line whose sealed header holds escaped quotes', () => {
    const cookie = 'sid="SEED-c"; x=1';
    const line = JSON.stringify({ path: '/a', cookie });
    const { r, json, opened, counts } = sealOne({ 'http.request.header.cookie': cookie }, line);
    expect(line).not.toContain(cookie);
    expect(r.body).toBeNull();
    expect(JSON.stringify(json)).not.toContain('SEED');
    expect(counts.get('body_sealed_escaped')).toBe(1);
    expect(opened.body).toEqual({ stringValue: line });
  });

  it('seals the whole body when a value is not in it as written (escaped, encoded, or read from a token)', () => {
    const line = '{"path":"\\/a\\/SEED-p"}';
    const { r, counts, opened } = sealOne({ 'url.query': '/a/SEED-p' }, line);
    expect(r.body).toBeNull();
    expect(counts.get('body_sealed_absent')).toBe(1);
    expect(opened.body).toEqual({ stringValue: line });
    // user.id read from a claims header: the line holds it base64url-encoded, with the other claims.
    const claims = Buffer.from('{"sub":"alice-SEED","email":"alice@example.com"}').toString('base64url');
    const fromClaims = sealOne({ 'user.id': 'alice-SEED', 'client.address': IP }, `GET / ${IP} "${claims}"`);
    expect(fromClaims.r.body).toBeNull();
    expect(fromClaims.counts.get('body_sealed_absent')).toBe(1);
    expect(JSON.stringify(fromClaims.json)).not.toContain(claims);
  });

  it('seals the whole body of a record whose format is not in in_place_formats, or that has none', () => {
    const line = `GET / ${IP} "claims-SEED"`;
    for (const format of ['my_format', 'none']) {
      const { enc, keys } = setup();
      const attributes: Attributes = { 'client.address': IP };
      if (format !== 'none') attributes['meshtail.log.format'] = format;
      const r = enc.run([record(attributes, line)]).records[0]!;
      const opened = jsonRecord(r);
      const counts = enc.counts;
      expect(openRecord(opened, keys).kind).toBe('opened');
      expect(r.body).toBeNull();
      expect(counts.get('body_sealed_format')).toBe(1);
      expect(opened.body).toEqual({ stringValue: line });
    }
    const declared = sealOne({ 'client.address': IP, 'meshtail.log.format': 'my_format' }, line, {
      in_place_formats: ['my_format'],
    });
    expect(declared.r.body).toBe(line.replace(IP, declared.r.attributes['client.address'] as string));
  });

  it('seals the whole body for non-ASCII values', () => {
    const { r, counts } = sealOne({ 'user.id': 'zoë@example.com' }, 'GET / zoë@example.com');
    expect(r.body).toBeNull();
    expect(counts.get('body_sealed_escaped')).toBe(1);
  });

  it('replaces a sealed value holding another one whole, and fails closed on a partial overlap', () => {
    const line = `"${IP}, 10.0.0.1" ${IP}`;
    const nested = sealOne(
      { 'http.request.header.x-forwarded-for': `${IP}, 10.0.0.1`, 'client.address': IP },
      line,
    );
    const ps = nested.r.attributes['client.address'] as string;
    expect(nested.r.body).toBe(`"${MARKER}" ${ps}`);
    expect(nested.opened.body).toEqual({ stringValue: line });

    const partial = sealOne(
      { 'url.query': 'abcd-SEED', 'http.request.header.cookie': 'SEED-efgh' },
      'x abcd-SEED-efgh',
    );
    expect(partial.r.body).toBeNull();
    expect(partial.counts.get('body_sealed_overlap')).toBe(1);
    expect(partial.opened.body).toEqual({ stringValue: 'x abcd-SEED-efgh' });
  });

  it('leaves empty values alone and seals the body for a short value that occurs in it', () => {
    const empty = sealOne({ 'url.query': '', 'client.address': IP }, `GET / ${IP}`);
    expect(typeof empty.r.body).toBe('string');
    expect(empty.opened.body).toEqual({ stringValue: `GET / ${IP}` });

    const short = sealOne({ 'user.id': '42' }, 'GET /users/42 200 42');
    expect(short.r.body).toBeNull();
    expect(short.counts.get('body_sealed_short')).toBe(1);
    // A short value that is not in the body as written seals it too: it may stand there encoded.
    const absent = sealOne({ 'user.id': '42' }, 'GET /users/me 200');
    expect(absent.r.body).toBeNull();
    expect(absent.counts.get('body_sealed_absent')).toBe(1);
  });

  it('seals the body whole when it is not a string or a value is not one, and when an address is only part of a longer one', () => {
    const kv = { kvlist: { msg: `from ${IP}` } };
    const notString = sealOne({ 'client.address': IP }, kv);
    expect(notString.r.body).toBeNull();
    expect(notString.counts.get('body_sealed_not_string')).toBe(1);
    expect(notString.opened.body).toEqual({
      kvlistValue: { values: [{ key: 'msg', value: { stringValue: `from ${IP}` } }] },
    });

    const numeric = sealOne({ 'linkerd.user': 31337 }, 'user 31337');
    expect(numeric.r.body).toBeNull();
    expect(numeric.counts.get('body_sealed_not_string')).toBe(1);

    const longer = sealOne({ 'client.address': IP }, `${IP} -> ${IP}0`);
    expect(longer.r.body).toBeNull();
    expect(longer.counts.get('body_sealed_residue')).toBe(1);
    expect(longer.opened.body).toEqual({ stringValue: `${IP} -> ${IP}0` });
  });

  it('keeps one-way pseudonyms in the restored body', () => {
    const line = `GET / ${IP} "SEED-tok"`;
    const { r, opened } = sealOne({ 'client.address': IP, 'url.query': 'SEED-tok' }, line, {
      recoverable_pseudonyms: false,
    });
    const ps = r.attributes['client.address'] as string;
    expect(opened.body).toEqual({ stringValue: `GET / ${ps} "SEED-tok"` });
  });
});

describe('encrypt body: in_place binds the covered body', () => {
  const attrs = (i: number) => ({
    'client.address': `10.0.0.${i}`,
    'url.query': `token=SEED-${i}`,
    'http.request.header.x-request-id': 'same',
    'meshtail.log.format': 'istio',
  });
  const pair = () => {
    const { enc, keys } = setup();
    const [a, b] = enc.run([
      record(attrs(1), 'GET /?token=SEED-1 from 10.0.0.1'),
      record(attrs(2), 'GET /?token=SEED-2 from 10.0.0.2'),
    ]).records;
    return { a: jsonRecord(a!), b: jsonRecord(b!), keys };
  };
  const bodyText = (r: LogRecordJson) => r.body?.stringValue as string;

  it('opens untouched records', () => {
    const { a, b, keys } = pair();
    expect(openRecord(a, keys).kind).toBe('opened');
    expect(openRecord(b, keys).kind).toBe('opened');
  });

  it('detects an edited covered body', () => {
    const { a, keys } = pair();
    a.body = { stringValue: bodyText(a).replace('GET', 'PUT') };
    const before = structuredClone(a);
    expect(openRecord(a, keys).kind).toBe('failed');
    expect(a).toEqual(before);
  });

  it('detects bodies swapped between two records of the same time and request', () => {
    const { a, b, keys } = pair();
    [a.body, b.body] = [b.body, a.body];
    expect(openRecord(a, keys).kind).toBe('failed');
    expect(openRecord(b, keys).kind).toBe('failed');
  });

  it('detects a bundle moved to another record', () => {
    const { a, b, keys } = pair();
    const bundle = (r: LogRecordJson) =>
      r.attributes!.filter((kv) => kv.key.startsWith('meshtail.encrypted'));
    b.attributes = [...b.attributes!.filter((kv) => !kv.key.startsWith('meshtail.encrypted')), ...bundle(a)];
    expect(openRecord(b, keys).kind).toBe('failed');
  });

  it('detects the spans entry struck from the field list, and a body that is no longer a string', () => {
    const { a, b, keys } = pair();
    const fields = a.attributes!.find((kv) => kv.key === 'meshtail.encrypted.fields')!;
    const values = (fields.value.arrayValue as { values: { stringValue: string }[] }).values;
    (fields.value.arrayValue as { values: unknown[] }).values = values.filter(
      (v) => v.stringValue !== 'body.spans',
    );
    expect(openRecord(a, keys).kind).toBe('failed');
    b.body = { kvlistValue: { values: [] } };
    expect(openRecord(b, keys).kind).toBe('failed');
  });
});
