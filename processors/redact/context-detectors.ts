// The context detectors, tried at the separators the scanner stops at: `key=value`, `key: value`,
// `"key":"value"` and `'name', 'value'` with a key naming a secret (secret-key.ts), URL userinfo
// after `://`, and `local@domain.tld` around an `@`. Every scan is bounded so a string costs at
// most a constant per character whatever its shape (`a:a:a:…`, `token=token=…`): DESIGN.md's
// "every pattern is linear in the line".
import type { Entity } from './entity.ts';
import { cookies } from './header-rules.ts';
import { isJwt } from './jwt.ts';
import { hasSecretEnding, type KeyStrength, keyStrength, maskedValue } from './secret-key.ts';
import type { Finding } from './text-detectors.ts';

export interface ContextOptions {
  enabled: (entity: Entity) => boolean;
  /** Configured query keys, lower-cased. */
  queryKeys: Set<string>;
  /** Every configured query key ends like a secret name, so the ending test rejects for them too. */
  endingsSuffice: boolean;
}

const KEY_MAX = 64;
const VALUE_MAX = 1024;
const AUTHORITY_MAX = 256;
const SCHEME_AT = /(bearer|basic|token|digest|negotiate|apikey|sso-key|aws4-hmac-sha256)[ \t]+/iy;

// Characters of a key name: a word's, `.` and `:` (`:authority` in header dumps).
const KEY = new Uint8Array(128);
for (let c = 0; c < 128; c++) if (/[A-Za-z0-9_.:-]/.test(String.fromCharCode(c))) KEY[c] = 1;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isSpace = (c: number) => c === 32 || c === 9;

/** `key=value`, `key: value`, `"key":"value"`, `'key', 'value'` with a key naming a secret. */
export function keyValueAt(s: string, i: number, c: number, out: Finding[], o: ContextOptions): number {
  if (c === 58 && s.charCodeAt(i + 1) === 47 && s.charCodeAt(i + 2) === 47) return userinfoAt(s, i, out, o);
  let k = i - 1;
  while (k >= 0 && isSpace(s.charCodeAt(k))) k--;
  const q = s.charCodeAt(k);
  if (q === 34 || q === 39) k--;
  else if (c === 44) return -1;
  const keyEnd = k + 1;
  // Most keys (`"method":`, `10:00`) are told apart by their last two characters, before a slice.
  if (!isLetter(s.charCodeAt(keyEnd - 1)) || (o.endingsSuffice && !hasSecretEnding(s, keyEnd))) return -1;
  const floor = Math.max(0, i - KEY_MAX - 2);
  while (k >= floor && s.charCodeAt(k) < 128 && KEY[s.charCodeAt(k)] === 1) k--;
  const keyStart = k + 1;
  if (keyEnd - keyStart < 1 || keyEnd - keyStart > KEY_MAX || !isLetter(s.charCodeAt(keyEnd - 1))) return -1;
  const key = s.slice(keyStart, keyEnd);
  const before = s.charCodeAt(keyStart - 1);
  const query =
    c === 61 && (keyStart === 0 || before === 63 || before === 38 || before === 59 || before === 35);
  let strength: KeyStrength = keyStrength(key);
  if (query && o.queryKeys.has(key.toLowerCase())) strength = 'strong';
  if (strength === undefined) return -1;
  // The value: quoted (to its closing quote), or up to a separator.
  let p = i + 1;
  while (p < s.length && isSpace(s.charCodeAt(p))) p++;
  const open = s.charCodeAt(p);
  let start = p;
  let end: number;
  if (open === 34 || open === 39) {
    start = p + 1;
    end = start;
    const limit = Math.min(s.length, start + VALUE_MAX);
    while (end < limit && s.charCodeAt(end) !== open) end += s.charCodeAt(end) === 92 ? 2 : 1;
    end = Math.min(end, limit);
  } else {
    end = start;
    const limit = Math.min(s.length, start + VALUE_MAX);
    while (end < limit && !stops(s.charCodeAt(end), query)) end++;
  }
  if (strength === 'cookie') {
    if (o.enabled('cookie')) cookies(s.slice(start, end), out, start);
    return end;
  }
  // `Authorization: Bearer xyz`: the scheme stays readable, the credential runs to the next stop.
  SCHEME_AT.lastIndex = start;
  const scheme = SCHEME_AT.exec(s);
  if (scheme !== null) {
    const from = start + scheme[0].length;
    let to = from;
    if (open === 34 || open === 39) to = end;
    else {
      const limit = Math.min(s.length, from + VALUE_MAX);
      while (to < limit && !stops(s.charCodeAt(to), query)) to++;
    }
    if (to === from) return to;
    const credential = s.slice(from, to);
    const word = scheme[1]!.toLowerCase();
    let entity: Entity = word === 'basic' ? 'basic' : word === 'bearer' ? 'bearer' : 'secret_value';
    if (isJwt(credential)) entity = 'jwt';
    if (o.enabled(entity)) out.push({ start: from, end: to, entity });
    return to;
  }
  const value = s.slice(start, end);
  if (!maskedValue(value, strength)) return -1;
  const entity: Entity = query ? 'query_secret' : 'secret_value';
  if (!o.enabled(entity)) return -1;
  out.push({ start, end, entity: isJwt(value) && o.enabled('jwt') ? 'jwt' : entity });
  return end;
}

/** `scheme://user:password@host`: the password (or a lone token) of the userinfo. */
function userinfoAt(s: string, i: number, out: Finding[], o: ContextOptions): number {
  const from = i + 3;
  let p = from;
  const limit = Math.min(s.length, from + AUTHORITY_MAX);
  while (p < limit && !authorityStops(s.charCodeAt(p))) p++;
  const at = s.lastIndexOf('@', p - 1);
  if (at < from || !o.enabled('url_credentials')) return -1;
  const colon = s.indexOf(':', from);
  if (colon >= 0 && colon < at) {
    if (at > colon + 1) out.push({ start: colon + 1, end: at, entity: 'url_credentials' });
  } else if (at - from >= 16) out.push({ start: from, end: at, entity: 'url_credentials' });
  return -1;
}

/** `local@domain.tld` around an `@`. */
export function emailAt(s: string, i: number, out: Finding[], o: ContextOptions): number {
  if (!o.enabled('email')) return -1;
  let a = i;
  while (a > 0 && localChar(s.charCodeAt(a - 1))) a--;
  if (a === i) return -1;
  let b = i + 1;
  let lastDot = -1;
  while (b < s.length) {
    const c = s.charCodeAt(b);
    if (c === 46) lastDot = b;
    else if (!(isLetter(c) || isDigit(c) || c === 45)) break;
    b++;
  }
  if (s.charCodeAt(b - 1) === 46) {
    b--;
    lastDot = s.lastIndexOf('.', b - 1);
  }
  if (lastDot <= i + 1 || b - lastDot < 3) return -1;
  for (let k = lastDot + 1; k < b; k++) if (!isLetter(s.charCodeAt(k))) return -1;
  out.push({ start: a, end: b, entity: 'email' });
  return b;
}

function stops(c: number, query: boolean): boolean {
  if (c === 38 || c === 35 || c === 34 || c === 39 || c === 92 || c === 32 || c === 9 || c === 10 || c === 13)
    return true;
  if (query) return c === 59;
  return c === 44 || c === 59 || c === 125 || c === 93 || c === 41 || c === 60 || c === 62;
}

function authorityStops(c: number): boolean {
  return (
    c === 47 || c === 63 || c === 35 || c === 32 || c === 34 || c === 39 || c === 60 || c === 62 || c === 10
  );
}

function localChar(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45;
}
