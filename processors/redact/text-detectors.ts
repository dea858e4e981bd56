// What is tried where a word starts (text-scanner.ts finds the starts in one pass): the token
// catalogue indexed by first character, `Bearer`/`Basic` credentials, IBANs, digit runs and base64
// candidates. Checksums (Luhn, mod-97), the JWT header decode and base64 decoding run only here,
// on candidates.
import type { Entity } from './entity.ts';
import { ibanLength, isIban } from './iban.ts';
import { isJwt } from './jwt.ts';
import { TOKEN_CATALOGUE, type TokenFormat } from './token-catalogue.ts';

export interface Finding {
  start: number;
  end: number;
  entity: Entity;
  /** Set for spans whose replacement is already known (a header value masked in its attribute). */
  replacement?: string;
  /** The decoded value when the span was found in a decoded view (what a pseudonym is made of). */
  value?: string;
}

interface Entry {
  prefix: string;
  body: RegExp;
  format: TokenFormat;
}

/** The index key of the two characters at `at` (both ASCII), or -1. */
export function pairKey(s: string, at: number): number {
  const a = s.charCodeAt(at);
  const b = s.charCodeAt(at + 1);
  return a < 128 && b < 128 ? a * 128 + b : -1;
}

/** Catalogue entries by their first two characters (pairKey): a word costs one lookup, not a
 * `startsWith` per prefix sharing its first letter. */
export function catalogueIndex(enabled: (e: Entity) => boolean): Map<number, Entry[]> {
  const index = new Map<number, Entry[]>();
  for (const format of TOKEN_CATALOGUE) {
    if (!enabled(format.entity)) continue;
    for (const prefix of format.prefixes) {
      const entry = { prefix, body: new RegExp(format.body, 'y'), format };
      const c = pairKey(prefix, 0);
      if (c < 0) throw new Error(`catalogue prefix ${prefix} is not two ASCII characters or more`);
      const list = index.get(c) ?? [];
      list.push(entry);
      // Longer prefixes first: `sk-ant-` before `sk-`.
      list.sort((a, b) => b.prefix.length - a.prefix.length);
      index.set(c, list);
    }
  }
  return index;
}

/** The end of a catalogue token starting at `at`, or -1. */
export function catalogueAt(s: string, at: number, entries: Entry[], out: Finding[]): number {
  for (const e of entries) {
    if (!s.startsWith(e.prefix, at)) continue;
    const re = e.body;
    re.lastIndex = at + e.prefix.length;
    const m = re.exec(s);
    if (m === null) continue;
    let end = re.lastIndex;
    if (e.format.check === 'jwt' && !isJwt(s.slice(at, end))) continue;
    if (e.format.entity !== 'private_key') end = wordEnd(s, end);
    out.push({ start: at, end, entity: e.format.entity });
    return end;
  }
  return -1;
}

/** Extends a token over the base64url characters that follow it. */
export function wordEnd(s: string, from: number): number {
  let p = from;
  while (p < s.length) {
    const c = s.charCodeAt(p);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45) p++;
    else break;
  }
  return p;
}

const SCHEME = /(?:Bearer|BEARER|bearer|Basic|BASIC|basic)[ \t]+([A-Za-z0-9._~+/-]{8,}=*)/y;

/** `Bearer <token>` or `Basic <base64 user:password>` at `at`: the end, or -1. */
export function schemeAt(s: string, at: number, out: Finding[], enabled: (e: Entity) => boolean): number {
  SCHEME.lastIndex = at;
  const m = SCHEME.exec(s);
  if (m === null) return -1;
  const credential = m[1]!;
  const basic = m[0].charCodeAt(1) === 97 || m[0].charCodeAt(1) === 65;
  let entity: Entity = 'bearer';
  if (basic) {
    if (!basicCredential(credential)) return -1;
    entity = 'basic';
  } else if (isJwt(credential)) entity = 'jwt';
  if (!enabled(entity)) return -1;
  const end = at + m[0].length;
  out.push({ start: end - credential.length, end, entity });
  return end;
}

export function basicCredential(b64: string): boolean {
  const text = Buffer.from(b64, 'base64').toString('latin1');
  return text.includes(':') && !/[\u0000-\u001f\u007f-\u00ff]/.test(text);
}

/** An IBAN in any case and spacing starting at `at` (two letters, two digits): its end, or -1. */
export function ibanAt(s: string, at: number, out: Finding[]): number {
  const length = ibanLength(s.slice(at, at + 2).toUpperCase());
  if (length === undefined) return -1;
  let p = at;
  let taken = 0;
  while (p < s.length && taken < length) {
    const c = s.charCodeAt(p);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      taken++;
      p++;
    } else if (c === 32 && taken > 0 && s.charCodeAt(p + 1) !== 32) p++;
    else if (c === 32 && s.charCodeAt(p + 1) === 32 && s.charCodeAt(p + 2) !== 32) p += 2;
    else break;
  }
  if (taken !== length) return -1;
  const c = s.charCodeAt(p);
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return -1;
  if (!isIban(s.slice(at, p))) return -1;
  out.push({ start: at, end: p, entity: 'iban' });
  return p;
}

/** The end of a run of base64 characters from `at` (with `=` padding). */
export function base64End(s: string, at: number): number {
  let p = at;
  while (p < s.length) {
    const c = s.charCodeAt(p);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 47) p++;
    else break;
  }
  while (s.charCodeAt(p) === 61 && p - at < 4096) p++;
  return p;
}

/** Worth decoding: 16+ characters mixing case and digits, like base64 of text. */
export function base64Candidate(s: string, start: number, end: number): boolean {
  if (end - start < 16) return false;
  let lower = false;
  let upper = false;
  let digit = false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = true;
    else if (c >= 65 && c <= 90) upper = true;
    else if (c >= 48 && c <= 57) digit = true;
  }
  return lower && upper && digit;
}

/** `user:password` as base64 of a credential decodes to. */
export const USER_PASSWORD = /^[A-Za-z0-9._@+-]{1,64}:[^\s:"'{}]{3,}$/;
