// A one-pass test that proves a short attribute value holds nothing any text detector could find,
// so it is neither scanned nor looked up in the memo (hashing a fresh string for the memo cost more
// than this pass: ~60 % of redact's attribute time on bookinfo traffic, bench/RESULTS.md).
// It decides from the value alone, never from the attribute's name: a crafted line controls values.
// Each rejection below is a necessary condition of one detector (text-scanner.ts), so a value that
// passes gives the scanner nothing; anything unsure goes to the full scan.
//  - every separator a context or decoded view starts at (`= @ , + ( % \`), spaces and tabs
//    (schemes, spaced IBANs and numbers), `$`, control and non-ASCII characters: rejected outright;
//    `:` too, but for the one colon of `address:port` (quietColon);
//  - at a word start: any catalogue prefix, enabled or not, and the letter-letter-digit-digit
//    opening of an IBAN;
//  - a run of 16+ base64 characters (a base64 candidate is at least that long);
//  - a run of digits, `.` and `-` from a word start with 7+ digits or 3+ dots (what numberRun needs
//    to name a card, SSN, phone or IPv4), but for an exact dotted quad the scanner would not mask.
import type { Entity } from './entity.ts';
import { ipv4Entity } from './ip-address.ts';
import { TOKEN_CATALOGUE } from './token-catalogue.ts';

const REJECT = 0;
const LETTER = 1;
const DIGIT = 2;
const WORD_MARK = 3; // `-`, `_`: word characters outside base64
const DOT = 4;
const SLASH = 5;
const OTHER = 6;

const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z]/.test(ch)) CLASS[c] = LETTER;
  else if (/[0-9]/.test(ch)) CLASS[c] = DIGIT;
  else if (ch === '-' || ch === '_') CLASS[c] = WORD_MARK;
  else if (ch === '.') CLASS[c] = DOT;
  else if (ch === '/') CLASS[c] = SLASH;
  else if (`!"#&')*;<>?[]^{|}~\``.includes(ch)) CLASS[c] = OTHER;
}

/** Every catalogue prefix, enabled or not, by its first two characters (pairKey); PAIRS marks
 * the pairs that have one, so most word starts cost one typed-array read. */
const PAIRS = new Uint8Array(128 * 128);
const PREFIXES = new Map<number, string[]>();
for (const format of TOKEN_CATALOGUE)
  for (const p of format.prefixes) {
    const key = p.charCodeAt(0) * 128 + p.charCodeAt(1);
    PAIRS[key] = 1;
    PREFIXES.set(key, [...(PREFIXES.get(key) ?? []), p]);
  }

const BASE64_MIN = 16;

/** True when the scanner finds nothing in `s`; false when it might. */
export function quietValue(s: string, enabled: (e: Entity) => boolean): boolean {
  let wordBefore = false;
  let base64 = 0;
  let runStart = -1;
  let digits = 0;
  let dots = 0;
  let colon = false;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    let k = c < 128 ? CLASS[c]! : REJECT;
    if (k === REJECT) {
      if (c !== 58 || !quietColon(s, i, colon)) return false;
      colon = true;
      k = OTHER;
    }
    const word = k <= WORD_MARK;
    const wordStart = word && !wordBefore;
    if (wordStart) {
      const next = i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (next < 128) {
        const pair = c * 128 + next;
        if (PAIRS[pair] === 1 && startsAny(s, i, PREFIXES.get(pair))) return false;
        if (k === LETTER && CLASS[next] === LETTER && ibanOpening(s, i + 2, n)) return false;
      }
    }
    wordBefore = word;
    if (k === LETTER || k === DIGIT || k === SLASH) {
      if (++base64 >= BASE64_MIN) return false;
    } else base64 = 0;
    // numberRun starts only where a word starts with a digit (the scanner's #wordStart).
    if (runStart >= 0 ? k === DIGIT || k === DOT || c === 45 : k === DIGIT && wordStart) {
      if (runStart < 0) {
        runStart = i;
        digits = 0;
        dots = 0;
      }
      if (k === DIGIT) digits++;
      else if (k === DOT) dots++;
    } else if (runStart >= 0) {
      if ((digits >= 7 || dots >= 3) && !quietQuad(s, runStart, i, enabled)) return false;
      runStart = -1;
    }
  }
  return runStart < 0 || (digits < 7 && dots < 3) || quietQuad(s, runStart, n, enabled);
}

/** `s[start, end)` is exactly a dotted quad that the scanner would leave: not an address, or one
 * whose entity is off (or names no host: loopback, 0.0.0.0). */
function quietQuad(s: string, start: number, end: number, enabled: (e: Entity) => boolean): boolean {
  let group = 0;
  let value = 0;
  let length = 0;
  let valid = true;
  let a = 0;
  let b = 0;
  let sum = 0;
  for (let i = start; i <= end; i++) {
    const c = i < end ? s.charCodeAt(i) : 46;
    if (isDigit(c)) {
      if (length === 1 && value === 0) valid = false; // a leading zero: not an address
      value = value * 10 + c - 48;
      if (++length > 3) return false;
      continue;
    }
    if (c !== 46 || length === 0) return false;
    if (value > 255) valid = false;
    if (group === 0) a = value;
    else if (group === 1) b = value;
    sum += value;
    group++;
    value = 0;
    length = 0;
  }
  if (group !== 4) return false;
  if (!valid) return true;
  const entity = ipv4Entity(a, b, sum === 0);
  return entity === undefined || !enabled(entity);
}

/** The one `:` of `10.0.0.1:8080`: after a digit, not `://`, and no other colon in the value, so
 * no `key: value` (a key ends in a letter), URL userinfo or IPv6 address can start at it. */
function quietColon(s: string, i: number, seen: boolean): boolean {
  return (
    !seen && i > 0 && isDigit(s.charCodeAt(i - 1)) && s.charCodeAt(i + 1) !== 47 && s.indexOf(':', i + 1) < 0
  );
}

/** Two digits at `at` (after an IBAN's two letters). */
function ibanOpening(s: string, at: number, n: number): boolean {
  return at + 1 < n && isDigit(s.charCodeAt(at)) && isDigit(s.charCodeAt(at + 1));
}

function startsAny(s: string, at: number, prefixes: string[] | undefined): boolean {
  if (prefixes === undefined) return false;
  for (const p of prefixes) if (s.startsWith(p, at)) return true;
  return false;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
