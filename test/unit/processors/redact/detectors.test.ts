// One positive and one negative case per detector, on free text (the body); values are synthetic.
import { describe, expect, it } from 'vitest';
import { isCardNumber } from '../../../../processors/redact/card-number.ts';
import { isIban } from '../../../../processors/redact/iban.ts';
import { isJwt } from '../../../../processors/redact/jwt.ts';
import { scrub } from './redact-support.ts';

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const JWT = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: 'u1' })}.c2lnbmF0dXJlLXZhbHVl`;
const NOT_JWT = `${b64url({ foo: 'bar', kid: 'x' })}.${b64url({ sub: 'u1' })}.c2lnbmF0dXJl`;

describe('checksums and decoding', () => {
  it('Luhn: valid card numbers pass, a changed digit fails', () => {
    expect(isCardNumber('4111111111111111')).toBe(true);
    expect(isCardNumber('4111-1111-1111-1111')).toBe(true);
    expect(isCardNumber('5500 0000 0000 0004')).toBe(true);
    expect(isCardNumber('4111111111111112')).toBe(false);
    expect(isCardNumber('411111111111')).toBe(false);
  });
  it('IBAN: mod-97 and the country length', () => {
    expect(isIban('DE89370400440532013000')).toBe(true);
    expect(isIban('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(isIban('DE89370400440532013001')).toBe(false);
    expect(isIban('DE8937040044053201300')).toBe(false);
    expect(isIban('ZZ89370400440532013000')).toBe(false);
  });
  it('JWT: the header segment must decode to JSON with a string alg', () => {
    expect(isJwt(JWT)).toBe(true);
    expect(isJwt(NOT_JWT)).toBe(false);
    expect(isJwt('eyJhbGciOiJIUzI1NiJ9')).toBe(false);
    expect(isJwt('aGVsbG8gd29ybGQhIQ.aGVsbG8.aGVsbG8')).toBe(false);
  });
});

describe('text detectors', () => {
  const cases: Array<[string, string, string]> = [
    ['bearer', 'auth: Bearer abcDEF0123456789xyz', 'auth: Bearer [REDACTED:bearer]'],
    ['basic', `Basic ${Buffer.from('ann:pw12345').toString('base64')} sent`, 'Basic [REDACTED:basic] sent'],
    ['jwt', `t=${JWT} end`, 't=[REDACTED:jwt] end'],
    ['aws_access_key', 'id AKIAIOSFODNN7EXAMPL3 x', 'id [REDACTED:aws_access_key] x'],
    [
      'aws_secret_key',
      'AKIAIOSFODNN7EXAMPL3 wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      '[REDACTED:aws_access_key] [REDACTED:aws_secret_key]',
    ],
    ['github_token', `k ghp_${'a1B2'.repeat(9)} k`, 'k [REDACTED:github_token] k'],
    ['github_pat', `github_pat_${'x9'.repeat(41)}`, '[REDACTED:github_token]'],
    ['slack_token', 'xoxb-1234567890-abcdefABCDEF', '[REDACTED:slack_token]'],
    ['stripe_key', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc', '[REDACTED:stripe_key]'],
    [
      'query_secret',
      '/cb?code=abc123&state=ok&password=hunter2',
      '/cb?code=[REDACTED:query_secret]&state=ok&password=[REDACTED:query_secret]',
    ],
    ['iban', 'pay DE89370400440532013000 now', 'pay [REDACTED:iban] now'],
    ['card', 'card 4111 1111 1111 1111.', 'card ****1111.'],
    [
      'private_key',
      'k=-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE KEY----- tail',
      'k=[REDACTED:private_key] tail',
    ],
  ];
  for (const [name, line, want] of cases)
    it(`${name}: masked in place`, () => expect(scrub(line)).toBe(want));

  it('emails and IPs get keyed pseudonyms, the same for the same value', () => {
    const out = scrub('from alice@example.com at 203.0.113.9 and [2001:db8::7]:443, again 203.0.113.9');
    expect(out).toMatch(
      /^from hmac:[\w-]+:[0-9a-f]{16} at (hmac:[\w-]+:[0-9a-f]{16}) and \[hmac:[\w-]+:[0-9a-f]{16}\]:443, again \1$/,
    );
    expect(scrub('to bob%40example.org')).toMatch(/^to hmac:/);
  });

  const negatives: Array<[string, string]> = [
    ['a Luhn-invalid number', 'order 4111111111111112 placed'],
    ['a 19-digit epoch-ns timestamp', 'at 1730800800123000000 ns'],
    ['a request id', 'id a1b2c3d4-0000-4000-8000-000000000001'],
    ['base64 with dots that is not a JWT', `v=${NOT_JWT}`],
    ['an IBAN with a wrong check', 'DE89370400440532013001'],
    ['loopback and Istio inbound hops', '127.0.0.1:15000 127.0.0.6:47889 [::1]:8080 0.0.0.0:80'],
    ['a version string', 'envoy 1.2.3 and a time 10:00:00.123Z'],
    ['a non-secret query key', '/search?q=shoes&page=2&keyword=red'],
    ['an AKIA-looking word of the wrong length', 'AKIA1234'],
    ['Basic followed by prose', 'Basic authentication required'],
    ['a MAC address', 'aa:bb:cc:dd:ee:ff'],
  ];
  for (const [name, line] of negatives) it(`leaves ${name}`, () => expect(scrub(line)).toBe(line));
});
