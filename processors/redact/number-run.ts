// Digit runs at the start of a word: cards, SSNs, phone numbers and dotted quads are told apart by
// their group shape first and their checksum or validity rules second, so timestamps, sizes,
// versions, ports and order numbers stay. Called only where a word starts with a digit, `+` or `(`.
import { hasIssuerPrefix, isCardNumber } from './card-number.ts';

export type NumberKind = 'card' | 'ssn' | 'phone' | 'ipv4';

export interface NumberRun {
  kind: NumberKind | undefined;
  start: number;
  end: number;
}

const MAX_GROUPS = 8;
const PHONE_CONTEXT = /(?:phone|tel|mobile|cell|fax|msisdn|sms|whatsapp)[\w-]*["']?\s*[:=]?\s*["']?$/i;
const SSN_CONTEXT = /(?:ssn|social[\s_-]?security(?:[\s_-]?(?:number|no))?)["']?\s*[:=]?\s*["']?$/i;
const CARD_SHAPES = new Set(['4-4-4-4', '4-4-4-4-3', '4-6-5', '4-6-4', '4-4-4-1', '4-4-4-2', '4-4-4-3']);

const isDigit = (c: number) => c >= 48 && c <= 57;
const isWordTail = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/** Reads the run at `at` and tells what it is (kind undefined: nothing to mask). */
export function numberRun(s: string, at: number): NumberRun {
  const n = s.length;
  let p = at;
  const lead = s.charCodeAt(p);
  const plus = lead === 43;
  const paren = lead === 40;
  if (plus || paren) p++;
  const starts: number[] = [];
  const ends: number[] = [];
  let sep = -1;
  let mixed = false;
  while (p < n && starts.length < MAX_GROUPS) {
    const g = p;
    while (p < n && isDigit(s.charCodeAt(p))) p++;
    if (p === g) break;
    starts.push(g);
    ends.push(p);
    let q = p;
    const c = s.charCodeAt(q);
    if (paren && starts.length === 1 && c === 41) {
      q++;
      if (s.charCodeAt(q) === 32) q++;
    } else if (c === 32 || c === 45 || c === 46) {
      q++;
      if (c === 32 && s.charCodeAt(q) === 32) q++;
      if (!isDigit(s.charCodeAt(q))) break;
      if (sep === -1) sep = c;
      else if (sep !== c) {
        // One kind of separator per run (`203.0.113.9 203.0.113.10` is two), but `+1 415-555…`.
        if (!plus) break;
        mixed = true;
      }
    } else break;
    if (!isDigit(s.charCodeAt(q))) break;
    p = q;
  }
  const end = ends.length > 0 ? ends[ends.length - 1]! : at + 1;
  const run: NumberRun = { kind: undefined, start: at, end };
  if (starts.length === 0 || isWordTail(s.charCodeAt(end))) return run;
  if (paren && ends[0] !== undefined && s.charCodeAt(ends[0]) !== 41) return run;
  const lens = starts.map((g, k) => ends[k]! - g);
  const shape = lens.join('-');
  let digits = '';
  for (let k = 0; k < starts.length; k++) digits += s.slice(starts[k], ends[k]);
  if (!plus && !paren && sep === 46 && !mixed && lens.length === 4 && lens.every((l) => l <= 3)) {
    run.kind = 'ipv4';
    return run;
  }
  if (plus) {
    if (digits.length >= 8 && digits.length <= 15 && lens.every((l) => l <= 5 || lens.length === 1))
      run.kind = 'phone';
    return run;
  }
  if (paren) {
    if (shape === '3-3-4' && nanp(digits)) run.kind = 'phone';
    return run;
  }
  if (!mixed && (sep === 45 || sep === 32) && shape === '3-2-4' && ssn(digits)) run.kind = 'ssn';
  else if (lens.length === 1 && lens[0] === 9 && SSN_CONTEXT.test(before(s, at)) && ssn(digits))
    run.kind = 'ssn';
  else if (
    digits.length >= 13 &&
    digits.length <= 19 &&
    (lens.length === 1 || (!mixed && CARD_SHAPES.has(shape))) &&
    hasIssuerPrefix(digits) &&
    isCardNumber(digits)
  )
    run.kind = 'card';
  else if (!mixed && sep !== 32 && sep !== -1 && shape === '3-3-4' && nanp(digits)) run.kind = 'phone';
  else if (digits.length >= 9 && digits.length <= 12 && PHONE_CONTEXT.test(before(s, at))) run.kind = 'phone';
  return run;
}

const before = (s: string, at: number) => s.slice(Math.max(0, at - 32), at);

/** US SSN rules (SSA): area not 000, 666 or 900–999; group not 00; serial not 0000. */
function ssn(d: string): boolean {
  const area = Number(d.slice(0, 3));
  return area !== 0 && area !== 666 && area < 900 && d.slice(3, 5) !== '00' && d.slice(5) !== '0000';
}

/** North American numbering plan: area code and exchange start 2–9. */
function nanp(d: string): boolean {
  return d.charCodeAt(0) >= 50 && d.charCodeAt(3) >= 50;
}
