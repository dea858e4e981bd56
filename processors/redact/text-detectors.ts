// The detectors that run on free text (the body, paths, queries, any attribute value), compiled
// once per processor. Each regex is global and ends with the secret, so a finding is the tail of a
// match: context such as `Bearer ` or `token=` stays readable. Checksums (Luhn, mod-97) and the JWT
// header decode run only on what the regexes found.
import { isCardNumber } from './card-number.ts';
import type { Entity } from './entity.ts';
import { isIban } from './iban.ts';
import { isPseudonymisedIp } from './ip-address.ts';
import { isJwt } from './jwt.ts';

export interface Detector {
  entity: Entity;
  re: RegExp;
  /** The capture group that holds the secret; it ends the match. 0: the whole match. */
  group: number;
  /** A cheap test of the whole string that must pass before the regex runs. */
  needle?: (s: string) => boolean;
  /** The entity of a match, or undefined to reject it (a checksum failed). */
  classify?: (m: RegExpExecArray) => Entity | undefined;
}

const has = (needle: string) => (s: string) => s.includes(needle);

const basicCredential = (b64: string): boolean => {
  const text = Buffer.from(b64, 'base64').toString('latin1');
  return text.includes(':') && !/[\u0000-\u001f]/.test(text);
};

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function compileDetectors(queryKeys: readonly string[]): Detector[] {
  const detectors: Detector[] = [
    {
      entity: 'private_key',
      re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|$)/g,
      group: 0,
      needle: has('-----BEGIN'),
    },
    {
      entity: 'bearer',
      re: /\b(Bearer|Basic)\s+([A-Za-z0-9._~+/-]{8,}=*)/gi,
      group: 2,
      needle: (s) => s.includes('earer') || s.includes('asic') || s.includes('EARER') || s.includes('ASIC'),
      classify: (m) =>
        m[1]!.length === 5 ? (basicCredential(m[2]!) ? 'basic' : undefined) : isJwt(m[2]!) ? 'jwt' : 'bearer',
    },
    {
      entity: 'jwt',
      re: /(?<![\w-])ey[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g,
      group: 0,
      needle: has('ey'),
      classify: (m) => (isJwt(m[0]) ? 'jwt' : undefined),
    },
    {
      entity: 'aws_access_key',
      re: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g,
      group: 0,
      needle: (s) => s.includes('AKIA') || s.includes('ASIA'),
    },
    {
      entity: 'aws_secret_key',
      re: /(?:aws_?secret_?access_?key|secret_?access_?key)["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
      group: 1,
      needle: (s) => s.includes('ccess') || s.includes('CCESS'),
    },
    {
      entity: 'github_token',
      re: /\b(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g,
      group: 0,
      needle: (s) => s.includes('gh') || s.includes('github_pat_'),
    },
    { entity: 'slack_token', re: /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, group: 0, needle: has('xox') },
    {
      entity: 'stripe_key',
      re: /\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}/g,
      group: 0,
      needle: (s) => s.includes('k_live_') || s.includes('k_test_'),
    },
    {
      entity: 'query_secret',
      re: new RegExp(`(?:^|[?&;])(?:${queryKeys.map(escapeRe).join('|')})=([^&#\\s"'\\\\;]+)`, 'gi'),
      group: 1,
      needle: has('='),
    },
    {
      entity: 'email',
      re: /[A-Za-z0-9._+-][A-Za-z0-9._%+-]*(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
      group: 0,
      needle: (s) => s.includes('@') || s.includes('%40'),
    },
    {
      entity: 'card',
      re: /(?<![\w.+-])[2-6]\d(?:[ -]?\d){11,17}(?![\w+-])/g,
      group: 0,
      needle: (s) => digits(s) >= 13,
      classify: (m) => (isCardNumber(m[0]) ? 'card' : undefined),
    },
    {
      entity: 'iban',
      re: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g,
      group: 0,
      needle: (s) => digits(s) >= 4,
      classify: (m) => (isIban(m[0]) ? 'iban' : undefined),
    },
    {
      entity: 'ip',
      // Octet ranges are left to isIP: the simpler pattern scans a line twice as fast.
      re: /(?<![\w.])\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?!\w|\.\d)/g,
      group: 0,
      needle: has('.'),
      classify: (m) => (isPseudonymisedIp(m[0]) ? 'ip' : undefined),
    },
    {
      entity: 'ip',
      re: /(?<![\w:.])(?=[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:)[0-9A-Fa-f:]{2,39}(?:\d{1,3}(?:\.\d{1,3}){3})?(?![\w:])/g,
      group: 0,
      // Every IPv6 address has `::` or seven colons; a timestamp has two.
      needle: (s) => s.includes('::') || FULL_IPV6.test(s),
      classify: (m) => (isPseudonymisedIp(m[0]) ? 'ip' : undefined),
    },
  ];
  if (queryKeys.length === 0) return detectors.filter((d) => d.entity !== 'query_secret');
  return detectors;
}

const FULL_IPV6 = /[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){7}/;

function digits(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/** An AWS secret access key is only told apart from other base64 by an access key id near it. */
export const AWS_SECRET_NEAR = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
export const AWS_SECRET_WINDOW = 200;
