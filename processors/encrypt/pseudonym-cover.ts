// A pseudonym covers its value everywhere in the record: once client.address (or user.id) is
// replaced, the same text in source.address, x-forwarded-for, forwarded headers or an unsealed
// body would give it back. Every other string attribute (and string arrays) and the body, when it
// is still there, get the same pseudonym wherever the value stands as a whole token. Runs only on
// records that had a pseudonym made, one indexOf per value per string.
import type { Attributes, AttributeValue, LogRecord } from '../../agent/kit/record/record.ts';

/** Values shorter than this are not looked for elsewhere: a short id ("42") would hit status codes. */
export const MIN_COVERED_LENGTH = 4;

export interface Covered {
  value: string;
  pseudonym: string;
}

/**
 * Replaces each covered value, as a whole token, in the record's other strings; `skip` names
 * attributes to leave; `body` false leaves the body (body: in_place covers it, body-cover.ts).
 */
export function coverPseudonyms(
  r: LogRecord,
  covered: Covered[],
  skip: ReadonlySet<string>,
  body = true,
): void {
  const wanted = covered.filter((c) => c.value.length >= MIN_COVERED_LENGTH);
  if (wanted.length === 0) return;
  const a: Attributes = r.attributes;
  // Per record on the hot path: one includes() per string and value decides; only a hit pays for
  // the token check and the copy. 1.9-4.3 µs CPU per demo record (30 attributes), next to ~18 µs
  // for sealing it (bench/pseudonym-cover.bench.ts, bench/RESULTS.md).
  // for-in, not Object.keys: on a fast-mode record V8 reads a[key] by the enum cache's field index
  // instead of a megamorphic keyed lookup (bench/RESULTS.md, encrypt "Session 30").
  for (const key in a) {
    const v = a[key];
    if (typeof v === 'string') {
      if (!containsAny(v, wanted) || skip.has(key)) continue;
      a[key] = coverText(v, wanted);
    } else if (Array.isArray(v) && !skip.has(key)) {
      const replaced = coverValue(v, wanted);
      if (replaced !== v) a[key] = replaced;
    }
  }
  if (!body) return;
  if (typeof r.body === 'string') {
    if (containsAny(r.body, wanted)) r.body = coverText(r.body, wanted);
  } else if (r.body !== null && r.body !== undefined) r.body = coverValue(r.body, wanted);
}

function containsAny(text: string, covered: Covered[]): boolean {
  for (const c of covered) if (text.length >= c.value.length && text.includes(c.value)) return true;
  return false;
}

function coverValue(v: AttributeValue | undefined, covered: Covered[]): AttributeValue {
  if (typeof v === 'string') return coverText(v, covered);
  if (Array.isArray(v)) {
    let changed = false;
    const out = v.map((item) => {
      const next = coverValue(item as AttributeValue, covered);
      if (next !== item) changed = true;
      return next;
    });
    return changed ? (out as AttributeValue) : v;
  }
  return v as AttributeValue;
}

export function coverText(text: string, covered: Covered[]): string {
  let out = text;
  for (const { value, pseudonym } of covered) {
    let from = 0;
    for (let at = out.indexOf(value, from); at !== -1; at = out.indexOf(value, from)) {
      const end = at + value.length;
      if (!isTokenAt(out, at, end)) {
        from = at + 1;
        continue;
      }
      out = out.slice(0, at) + pseudonym + out.slice(end);
      from = at + pseudonym.length;
    }
  }
  return out;
}

/**
 * True when text[at, end) stands as a whole token: no address or id character continues it, so a
 * match next to one is part of a longer value (203.0.113.9 inside 203.0.113.90). A '.' continues
 * only before or after an alphanumeric; a ':' never does, so a port (203.0.113.9:443) or a mapped
 * form (::ffff:203.0.113.9) is covered. Character codes, not a RegExp per character (session 30);
 * outside the text charCodeAt gives NaN, which no test matches.
 */
export function isTokenAt(text: string, at: number, end: number): boolean {
  const before = text.charCodeAt(at - 1);
  const after = text.charCodeAt(end);
  return !(
    isWordCode(before) ||
    isWordCode(after) ||
    (before === DOT && isAlnumCode(text.charCodeAt(at - 2))) ||
    (after === DOT && isAlnumCode(text.charCodeAt(end + 1)))
  );
}

const DOT = 0x2e;

/** A-Z a-z 0-9 */
function isAlnumCode(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
}

/** A-Z a-z 0-9 _ @ % + - : the characters that continue an address or an id. */
function isWordCode(c: number): boolean {
  return isAlnumCode(c) || c === 0x5f || c === 0x40 || c === 0x25 || c === 0x2b || c === 0x2d;
}
