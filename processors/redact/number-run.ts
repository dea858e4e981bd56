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

// Group bounds of the run being read; one run at a time, so shared scratch (no allocation).
const STARTS = new Int32Array(MAX_GROUPS);
const ENDS = new Int32Array(MAX_GROUPS);

/** The result of the last call, reused: read it before the next call. */
const RUN: NumberRun = { kind: undefined, start: 0, end: 0 };

/** Reads the run at `at` and tells what it is (kind undefined: nothing to mask). */
export function numberRun(s: string, at: number): NumberRun {
  const n = s.length;
  let p = at;
  const lead = s.charCodeAt(p);
  const plus = lead === 43;
  const paren = lead === 40;
  if (plus || paren) p++;
  let groups = 0;
  let digits = 0;
  let sep = -1;
  let _mixed = false;
  while (p < n && groups < MAX_GROUPS) {
    const g = p;
    while (p < n && isDigit(s.charCodeAt(p))) p++;
    if (p === g) break;
    STARTS[groups] = g;
    ENDS[groups] = p;
    groups++;
    digits += p - g;
    let q = p;
    const c = s.charCodeAt(q);
    if (paren && groups === 1 && c === 41) {
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
        _mixed = true;
      }
    } else break;
    if (!isDigit(s.charCodeAt(q))) break;
    p = q;
  }
  const end = groups > 0 ? ENDS[groups - 1]! : at + 1;
  const run = RUN;
  run.kind = undefined;
  run.start = at;
  run.end = end;
  // Most runs are sizes, codes, ports and times: too few digits to be anything.
  if (groups === 0 || digits < 7 || isWordTail(s.charCodeAt(end))) {
    if (groups === 4 && sep === 46 && !plus && !paren && !isWordTail(s.charCodeAt(end)) && dotted())
      run.kind = 'ipv4';
    return run;
  }
  if (paren && s.charCodeAt(ENDS[0]!) !== 41) return run;
  // Before the shape strings are built: a dotted quad is most long runs in mesh logs.
  if (!plus && !paren && sep === 46 && groups === 4 && dotted()) {
    run.kind = 'ipv4';
    return run;
  }
  // Every kind below needs 8+ digits after `+`, 9+ otherwise (an SSN; cards and NANP numbers more):
  // sizes and durations in a row (`0 375 10 9`) stop here, before any string is built.
  if (digits < (plus ? 8 : 9)) return run;
  let shape = '';
  let all = '';
  for (let k = 0; k < groups; k++) {
    shape += k === 0 ? `${ENDS[k]! - STARTS[k]!}` : `-${ENDS[k]! - STARTS[k]!}`;
    all += s.slice(STARTS[k], ENDS[k]);
  }
  if (plus) {
    if (digits >= 8 && digits <= 15 && (groups === 1 || maxGroup(groups) <= 5)) run.kind = 'phone';
    return run;
  }
  if (paren) {
    if (shape === '3-3-4' && nanp(all)) run.kind = 'phone';
    return run;
  }
  if ((sep === 45 || sep === 32) && shape === '3-2-4' && ssn(all)) run.kind = 'ssn';
  else if (groups === 1 && digits === 9 && SSN_CONTEXT.test(before(s, at)) && ssn(all)) run.kind = 'ssn';
  else if (
    digits >= 13 &&
    digits <= 19 &&
    (groups === 1 || CARD_SHAPES.has(shape)) &&
    hasIssuerPrefix(all) &&
    isCardNumber(all)
  )
    run.kind = 'card';
  else if (sep !== 32 && sep !== -1 && shape === '3-3-4' && nanp(all)) run.kind = 'phone';
  else if (digits >= 9 && digits <= 12 && PHONE_CONTEXT.test(before(s, at))) run.kind = 'phone';
  return run;
}

function dotted(): boolean {
  for (let k = 0; k < 4; k++) if (ENDS[k]! - STARTS[k]! > 3) return false;
  return true;
}

/** The octets of the dotted quad numberRun just read (shared scratch), or undefined when one is
 * over 255 or has a leading zero. */
export function lastOctets(s: string): Int32Array | undefined {
  for (let k = 0; k < 4; k++) {
    const a = STARTS[k]!;
    const len = ENDS[k]! - a;
    if (len > 1 && s.charCodeAt(a) === 48) return undefined;
    let v = 0;
    for (let p = a; p < a + len; p++) v = v * 10 + s.charCodeAt(p) - 48;
    if (v > 255) return undefined;
    OCTETS[k] = v;
  }
  return OCTETS;
}

const OCTETS = new Int32Array(4);

function maxGroup(groups: number): number {
  let m = 0;
  for (let k = 0; k < groups; k++) m = Math.max(m, ENDS[k]! - STARTS[k]!);
  return m;
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
