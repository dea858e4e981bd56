// Seeded secrets of every kind the redact processor detects, for the corpus test and the benchmark.
// Each secret carries the strings that must never be seen in clear in the output (`clear`); tests
// compare against these in memory and report a leak by kind and position only.
import type { SeededRandom } from '../../agent/demo/seeded-random.ts';

export const SECRET_KINDS = [
  'bearer',
  'basic',
  'jwt',
  'cookie',
  'api_key',
  'query_secret',
  'aws',
  'github_token',
  'slack_token',
  'stripe_key',
  'private_key',
  'email',
  'card',
  'iban',
  'ipv4',
  'ipv6',
] as const;

export type SecretKind = (typeof SECRET_KINDS)[number];

export interface SeededSecret {
  kind: SecretKind;
  /** What is written into the line (header value, path segment, query value, body text). */
  text: string;
  /** Substrings that must not survive in clear anywhere in the output record. */
  clear: string[];
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const B64 = `${ALNUM}+/`;

export function chars(r: SeededRandom, alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[r.int(0, alphabet.length - 1)];
  return s;
}

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

function luhnCard(r: SeededRandom): string {
  const digits = [r.pick([4, 5]), ...Array.from({ length: 14 }, () => r.int(0, 9))];
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    let d = digits[14 - i]!;
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return digits.join('') + ((10 - (sum % 10)) % 10);
}

function iban(r: SeededRandom): string {
  const [cc, bban] = r.chance(0.5)
    ? ['DE', chars(r, '0123456789', 18)]
    : ['GB', chars(r, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 4) + chars(r, '0123456789', 14)];
  const numeric = `${bban}${cc}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const c of numeric) rest = (rest * 10 + Number(c)) % 97;
  return `${cc}${String(98 - rest).padStart(2, '0')}${bban}`;
}

const octet = (r: SeededRandom) => r.int(11, 223);

export function seededSecret(r: SeededRandom, kind: SecretKind): SeededSecret {
  const one = (text: string, clear = text): SeededSecret => ({ kind, text, clear: [clear] });
  switch (kind) {
    case 'bearer': {
      const token = chars(r, ALNUM, 40);
      return one(`Bearer ${token}`, token);
    }
    case 'basic': {
      const b64 = Buffer.from(`user${r.int(1, 999)}:${chars(r, ALNUM, 16)}`).toString('base64');
      return one(`Basic ${b64}`, b64);
    }
    case 'jwt': {
      const claims = { sub: `u-${r.hex(8)}`, iat: 1_730_000_000 + r.int(0, 1e6), nonce: r.hex(16) };
      return one(`${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url(claims)}.${chars(r, `${ALNUM}-_`, 43)}`);
    }
    case 'cookie': {
      const value = chars(r, ALNUM, 32);
      return one(`session=${value}; theme=dark`, value);
    }
    case 'api_key':
    case 'query_secret':
      return one(chars(r, ALNUM, r.int(20, 40)));
    case 'aws': {
      const id = `${r.pick(['AKIA', 'ASIA'])}${chars(r, UPPER_DIGITS, 16)}`;
      const secret = chars(r, B64, 40);
      const text = r.chance(0.5)
        ? `aws_access_key_id=${id} aws_secret_access_key=${secret}`
        : `${id}:${secret}`;
      return { kind, text, clear: [id, secret] };
    }
    case 'github_token':
      return one(
        r.chance(0.8)
          ? `${r.pick(['ghp', 'gho', 'ghu', 'ghs'])}_${chars(r, ALNUM, 36)}`
          : `github_pat_${chars(r, `${ALNUM}_`, 82)}`,
      );
    case 'slack_token':
      return one(
        `xox${r.pick(['a', 'b', 'p', 'r', 's'])}-${r.int(1e9, 9e9)}-${r.int(1e9, 9e9)}-${chars(r, ALNUM, 24)}`,
      );
    case 'stripe_key':
      return one(`${r.pick(['sk', 'rk'])}_live_${chars(r, ALNUM, 24)}`);
    case 'private_key': {
      const lines = Array.from({ length: 4 }, () => chars(r, B64, 64));
      const text = `-----BEGIN RSA PRIVATE KEY-----\n${lines.join('\n')}\n-----END RSA PRIVATE KEY-----`;
      return { kind, text, clear: lines };
    }
    case 'email':
      return one(
        `${r.pick(['alice', 'bob', 'carol', 'dave'])}.${r.hex(6)}@${r.pick(['example.com', 'corp.example.org', 'mail.example.net'])}`,
      );
    case 'card': {
      const digits = luhnCard(r);
      const sep = r.pick(['', ' ', '-']);
      const text = sep === '' ? digits : (digits.match(/.{4}/g) as string[]).join(sep);
      return { kind, text, clear: [text, digits] };
    }
    case 'iban': {
      const compact = iban(r);
      const text = r.chance(0.5) ? compact : (compact.match(/.{1,4}/g) as string[]).join(' ');
      return { kind, text, clear: [text, compact] };
    }
    case 'ipv4': {
      // A client address: public. A private draw (172.16/12, 192.168/16, 100.64/10, 169.254/16:
      // the pod network, kept by default) moves to the next first octet, with no extra draw.
      const [a, b, c, d] = [octet(r), octet(r), octet(r), octet(r)];
      const private_ =
        (a === 172 && b >= 16 && b <= 31) ||
        (a === 192 && b === 168) ||
        (a === 100 && b >= 64 && b <= 127) ||
        (a === 169 && b === 254);
      return one(`${private_ ? a + 1 : a}.${b}.${c}.${d}`);
    }
    case 'ipv6':
      return one(`2001:db8:${r.hex(4)}:${r.hex(4)}::${r.hex(3)}${r.int(1, 9)}`);
  }
}
