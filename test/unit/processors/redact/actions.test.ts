// Header meanings, actions, allow-lists, keys, fail-closed and the counts per entity.

import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../../../agent/kit/record/record.ts';
import { SharedStateReader, SharedStateWriter } from '../../../../agent/kit/worker/shared-state.ts';
import { redactConfig } from '../../../../processors/redact/config.ts';
import { createProcessor } from '../../../../processors/redact/worker.ts';
import { testContext } from '../../../support/processor-context.ts';
import { redactRecord } from './redact-support.ts';

const H = 'http.request.header.';
const KEY = { hash_key: 'a-test-key-of-32-characters-0001', hash_key_id: 't1' };

describe('headers by meaning', () => {
  it('Authorization keeps its scheme; Basic, JWT and opaque tokens are told apart', () => {
    const jwt = `${Buffer.from('{"alg":"none"}').toString('base64url')}.e30.`;
    const { attributes: a, body } = redactRecord(`{"authorization":"Digest abcdef"}`, {
      [`${H}authorization`]: 'Digest abcdef',
      [`${H}proxy-authorization`]: 'Basic Zm9vOmJhcg==',
      [`${H}x-forwarded-authorization`]: `Bearer ${jwt}`,
    });
    expect(a[`${H}authorization`]).toBe('Digest [REDACTED:bearer]');
    expect(a[`${H}proxy-authorization`]).toBe('Basic [REDACTED:basic]');
    expect(a[`${H}x-forwarded-authorization`]).toBe('Bearer [REDACTED:jwt]');
    expect(body).toBe('{"authorization":"Digest [REDACTED:bearer]"}');
  });
  it('cookies keep names and attributes; API-key-like headers are masked whole, in the body too', () => {
    const { attributes: a, body } = redactRecord(
      '"sid=abc123; lang=en" "k-9f8e7d" "x"',
      {
        [`${H}cookie`]: 'sid=abc123; lang=en',
        'http.response.header.set-cookie': 'sid=zz9; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly',
        [`${H}x-api-key`]: 'k-9f8e7d',
        [`${H}x-vendor-token`]: 'x',
        [`${H}x-custom`]: 'q',
      },
      { secret_headers: ['X-Custom'] },
    );
    expect(a[`${H}cookie`]).toBe('sid=[REDACTED:cookie]; lang=[REDACTED:cookie]');
    expect(a['http.response.header.set-cookie']).toBe(
      'sid=[REDACTED:cookie]; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly',
    );
    expect(a[`${H}x-api-key`]).toBe('[REDACTED:api_key]');
    expect(a[`${H}x-custom`]).toBe('[REDACTED:api_key]');
    // A short value is replaced in the body only where it stands alone.
    expect(body).toBe(
      '"sid=[REDACTED:cookie]; lang=[REDACTED:cookie]" "[REDACTED:api_key]" "[REDACTED:api_key]"',
    );
  });
  it('a claims header (base64url JSON) is masked as jwt', () => {
    const claims = Buffer.from('{"sub":"u1","email":"a@example.com"}').toString('base64url');
    expect(redactRecord('', { [`${H}x-jwt-payload`]: claims }).attributes[`${H}x-jwt-payload`]).toBe(
      '[REDACTED:jwt]',
    );
  });
});

describe('actions', () => {
  const line = 'card 4111111111111111 mail ann@example.com ip 203.0.113.9 iban DE89370400440532013000';
  it('partial keeps the last 4, the domain, the network, country and last 4', () => {
    const out = redactRecord(line, {}, { actions: { email: 'partial', ip: 'partial', iban: 'partial' } });
    expect(out.body).toBe('card ****1111 mail ***@example.com ip 203.0.*.* iban DE***3000');
  });
  it('hash is HMAC-SHA256 under the configured key id, stable across processors', () => {
    const a = redactRecord('ip 203.0.113.9', {}, KEY).body;
    const b = redactRecord('ip 203.0.113.9', {}, KEY).body;
    expect(a).toBe(b);
    expect(a).toMatch(/^ip hmac:t1:[0-9a-f]{16}$/);
    expect(
      redactRecord('ip 203.0.113.9', {}, { ...KEY, hash_key: 'another-key-of-32-characters-002' }).body,
    ).not.toBe(a);
  });
  it('without hash_key the workers use the key the main thread published', () => {
    const writer = new SharedStateWriter();
    writer.publish({ id: 'eph-abc123', key: Buffer.alloc(32, 7).toString('base64') });
    const ctx = testContext('redact', { state: new SharedStateReader(writer.buffer) });
    const r: LogRecord = {
      timeUnixNano: 0n,
      observedTimeUnixNano: 0n,
      severityNumber: 0,
      severityText: '',
      body: '203.0.113.5',
      attributes: {},
    };
    createProcessor(redactConfig.parse({}), ctx)({ resource: {}, scope: { name: 't' }, records: [r] });
    expect(r.body).toMatch(/^hmac:eph-abc123:[0-9a-f]{16}$/);
  });
  it('drop removes the attribute and masks the span in the body; stars and off', () => {
    const out = redactRecord(
      'mail ann@example.com',
      { 'user.email': 'ann@example.com' },
      { actions: { email: 'drop' } },
    );
    expect(out.attributes).not.toHaveProperty('user.email');
    expect(out.body).toBe('mail [REDACTED:email]');
    expect(redactRecord('t Bearer abcdefghijkl', {}, { mask_style: 'stars' }).body).toBe('t Bearer ***');
    expect(redactRecord('mail ann@example.com', {}, { actions: { email: 'off' } }).body).toBe(
      'mail ann@example.com',
    );
  });
});

describe('allow-lists', () => {
  const allow = [
    { entity: 'email', values: ['test@example.com'] },
    { entity: 'ip', pattern: '^198\\.51\\.' },
    { entity: 'ip', attribute: 'destination.address' },
  ];
  it('values, patterns and attributes let findings through', () => {
    const out = redactRecord(
      'test@example.com other@example.com 198.51.100.3 203.0.113.9',
      { 'destination.address': '203.0.113.9' },
      { allow, ...KEY },
    );
    expect(out.body).toMatch(/^test@example\.com hmac:t1:\w+ 198\.51\.100\.3 hmac:t1:\w+$/);
    expect(out.attributes['destination.address']).toBe('203.0.113.9');
  });
  it('rejects a rule without a condition and an invalid pattern', () => {
    expect(() => createProcessor(redactConfig.parse({ allow: [{ entity: 'ip' }] }))).toThrow();
    expect(() => createProcessor(redactConfig.parse({ allow: [{ entity: 'ip', pattern: '(' }] }))).toThrow();
  });
});

describe('fail-closed', () => {
  it('a body that is not a string: body and free-text attributes replaced, kept names stay, marked and counted', () => {
    const out = redactRecord(new Uint8Array([1, 2]), {
      'http.request.method': 'GET',
      'url.path': '/x',
      'mesh.direction': 'inbound',
      'http.response.status_code': 200,
    });
    expect(out.body).toBe('[REDACTED:uninspected]');
    expect(out.attributes).toEqual({
      'http.request.method': 'GET',
      'url.path': '[REDACTED:uninspected]',
      'mesh.direction': 'inbound',
      'http.response.status_code': 200,
      'meshtail.redact.failed': true,
    });
    expect(out.ctx.counts.get('failed')).toBe(1);
  });
  it('a value over max_value_size and a byte attribute', () => {
    const long = redactRecord(`secret ${'x'.repeat(2000)}`, {}, { max_value_size: '1KiB' });
    expect(long.body).toBe('[REDACTED:uninspected]');
    const bytes = redactRecord('line', { blob: new Uint8Array([65]) });
    expect(bytes.attributes.blob).toBe('[REDACTED:uninspected]');
  });
  it('fail_closed: false leaves the record as it is, marked and counted', () => {
    const out = redactRecord(42, { 'url.path': '/x' }, { fail_closed: false });
    expect(out.body).toBe(42);
    expect(out.attributes['meshtail.redact.failed']).toBe(true);
    expect(out.ctx.counts.get('failed')).toBe(1);
  });
});

it('counts one event per finding, named by entity, never by value', () => {
  const { ctx } = redactRecord('Bearer abcdefghijklmnop 203.0.113.9 203.0.113.10', {
    'client.address': '203.0.113.9',
  });
  expect(Object.fromEntries(ctx.counts)).toEqual({ bearer: 1, ip: 3 });
});

it('memoised attribute results still count and still reach the body', () => {
  const ctx = testContext('redact');
  const process = createProcessor(redactConfig.parse({}), ctx);
  const record = (): LogRecord => ({
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: '',
    body: '"k-1234567"',
    attributes: { 'http.request.header.x-api-key': 'k-1234567', 'client.address': '203.0.113.9' },
  });
  const records = [record(), record()];
  process({ resource: {}, scope: { name: 't' }, records });
  expect(records[1]!.body).toBe('"[REDACTED:api_key]"');
  expect(Object.fromEntries(ctx.counts)).toEqual({ api_key: 4, ip: 2 });
});
