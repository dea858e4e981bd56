// The shapes issue 21 found leaking, one case each with the expected output (values synthetic), and
// the look-alikes it found damaged.
import { describe, expect, it } from 'vitest';
import { scrub } from './redact-support.ts';

const T = 'Zx81Kq20LmPp0w9Yv7Ab';

describe('found where real logs hide them', () => {
  const cases: Array<[string, string, string]> = [
    [
      'percent-encoded',
      `/login?redirect=%2Fcb%3Ftoken%3D${T}`,
      '/login?redirect=%2Fcb%3Ftoken%3D[REDACTED:query_secret]',
    ],
    [
      'double-encoded',
      `/login?next=%252Fcb%253Fcode%253D${T}&x=1`,
      '/login?next=%252Fcb%253Fcode%253D[REDACTED:query_secret]&x=1',
    ],
    ['access-token', `?access-token=${T}`, '?access-token=[REDACTED:query_secret]'],
    ['private_token', `/api?private_token=${T}`, '/api?private_token=[REDACTED:query_secret]'],
    [
      'auth, pass, client-secret',
      `login auth=${T} pass=hunter2 client-secret: ${T}`,
      'login auth=[REDACTED:secret_value] pass=[REDACTED:secret_value] client-secret: [REDACTED:secret_value]',
    ],
    ['fragment', `/cb#refresh_token=${T}&x=1`, '/cb#refresh_token=[REDACTED:query_secret]&x=1'],
    ['JSON text', `{"apiKey":"${T}","page":2}`, '{"apiKey":"[REDACTED:secret_value]","page":2}'],
    ['JSON escape in a key id', 'k AKIA\\u0049OSFODNN7EXAMPLE x', 'k [REDACTED:aws_access_key] x'],
    [
      'DSN password',
      'postgres://app:Pw0rd-9@db:5432/x',
      'postgres://app:[REDACTED:url_credentials]@db:5432/x',
    ],
    ['Google key', `key AIza${'Sy'.repeat(17)}x ok`, 'key [REDACTED:provider_token] ok'],
    ['GitLab PAT', `glpat-${T}`, '[REDACTED:provider_token]'],
    ['npm token', `npm_${T}${T.slice(0, 16)}`, '[REDACTED:provider_token]'],
    [
      'base64 credentials',
      `creds ${Buffer.from(`svc:${T}`).toString('base64')} end`,
      'creds [REDACTED:basic] end',
    ],
    ['SSN', 'ssn 123-45-6789.', 'ssn [REDACTED:ssn].'],
    ['E.164 phone', 'call +14155550123 now', 'call [REDACTED:phone] now'],
    ['NANP phone', 'call (415) 555-0123', 'call [REDACTED:phone]'],
    ['IBAN lower-case, spaced', 'iban de89 3704 0044 0532 0130 00!', 'iban [REDACTED:iban]!'],
    ['card with dots', 'card 4111.1111.1111.1111 x', 'card ****1111 x'],
    ['card with double spaces', 'card 4111  1111  1111  1111 x', 'card ****1111 x'],
    ['card with %20', '/p?c=4111%201111%201111%201111', '/p?c=****1111'],
    [
      'Envoy header dump',
      "'authorization', 'Bearer abcDEF0123456789xyz'",
      "'authorization', 'Bearer [REDACTED:bearer]'",
    ],
  ];
  for (const [name, line, want] of cases) it(name, () => expect(scrub(line)).toBe(want));
});

describe('kept because not secret', () => {
  const kept: Array<[string, string]> = [
    ['a browser version', 'Mozilla/5.0 AppleWebKit/537.36 Chrome/131.0.0.0 Safari/537.36'],
    ['a version word', 'envoy version 1.32.0.1 started'],
    ['a W3C traceparent', 'traceparent 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    [
      'a pod name and cluster',
      'reviews-v2-5b4b7c8d9f-x2x9k outbound|9080||reviews.default.svc.cluster.local',
    ],
    ['an order number', 'order 4155550123 shipped'],
    ['an invalid SSN area', 'ref 666-12-3456 and 900-12-3456'],
    ['sizes and codes after weak keys', 'response_code=200 cache_key=orders token_type=Bearer'],
    ['a pod address', 'peer 10.244.1.7:8080'],
  ];
  for (const [name, line] of kept) it(name, () => expect(scrub(line)).toBe(line));
  it('private addresses are pseudonymised when asked', () =>
    expect(scrub('peer 10.244.1.7:8080', { actions: { private_ip: 'hash' } })).toMatch(
      /^peer hmac:[\w-]+:[0-9a-f]{16}:8080$/,
    ));
});

it('a configured query key that does not look like a secret name is still masked', () =>
  expect(scrub('/s?page=2&q=hello', { query_keys: ['q'] })).toBe('/s?page=2&q=[REDACTED:query_secret]'));

it('strings shaped to make context scans quadratic stay linear (64 KiB each, within the test timeout)', () => {
  const size = 64 * 1024 - 16;
  for (const unit of ['a:', 'key=', 'x://', 'a/', '+1', 'Bearer a/', '%25', '\\u0041', 'a@']) {
    const s = unit.repeat(Math.floor(size / unit.length));
    expect(typeof scrub(s)).toBe('string');
  }
});
