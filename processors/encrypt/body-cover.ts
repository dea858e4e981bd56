// `body: in_place`: the body stays readable; every value of a sealed field in it becomes the marker
// and every value of a pseudonymised field its pseudonym, in one pass over the matches. What the
// reader of the line loses is exactly what the bundle holds; the spans let decrypt restore the line.
// Where a value cannot be replaced safely the caller seals the whole body instead (fail closed), and
// after replacing, no value may remain verbatim in the body: checked here, never assumed.
import { SEALED_MARKER } from '../../agent/kit/keyring/body-spans.ts';
import { isTokenAt, MIN_COVERED_LENGTH } from './pseudonym-cover.ts';

export { SEALED_MARKER };

export interface BodyValue {
  value: string;
  /** The marker for a sealed value, the pseudonym for a pseudonymised one. */
  text: string;
  /** Index of the original in the bundle's field list; -1: not in the bundle (one-way pseudonym). */
  field: number;
  /** Pseudonyms replace whole tokens only (203.0.113.9 not inside 203.0.113.90). */
  token: boolean;
}

/** Why a body was sealed whole instead: the `body_sealed_<reason>` event of the processor. */
export type BodySealReason = 'absent' | 'escaped' | 'short' | 'overlap' | 'residue';

export type BodyCover = { ok: true; body: string; spans: string } | { ok: false; reason: BodySealReason };

/**
 * True when a value holds a character a JSON (or escaping) access log writes in another form:
 * quotes, backslashes, controls, anything outside printable ASCII. Such a value may stand in the
 * body in a form indexOf cannot find, so its body is sealed. A loop, not a RegExp (session 30).
 */
function escapable(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return true;
  }
  return false;
}

/**
 * Values shorter than MIN_COVERED_LENGTH (4) that occur in the body seal it: replacing every "42"
 * or "-" would mangle status codes and sizes, and leaving one would leave the value.
 */
export function coverBody(body: string, values: readonly BodyValue[]): BodyCover {
  // Matches as flat (start, end, value index) triples; a record has one to three.
  const m: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const { value, token } = values[i]!;
    if (value === '') continue;
    if (escapable(value)) return { ok: false, reason: 'escaped' };
    let at = body.indexOf(value);
    // Absent as written: the line holds it in another form (escaped, encoded, a claims header or
    // token it was read from), which replacing cannot find. Sealed whole, never guessed.
    if (at === -1) return { ok: false, reason: 'absent' };
    if (value.length < MIN_COVERED_LENGTH) return { ok: false, reason: 'short' };
    for (; at !== -1; at = body.indexOf(value, at + 1))
      if (!token || isTokenAt(body, at, at + value.length)) m.push(at, at + value.length, i);
  }
  if (m.length === 0)
    return residue(body, values) ? { ok: false, reason: 'residue' } : { ok: true, body, spans: '' };
  sortTriples(m);
  let out = '';
  let spans = '';
  let from = 0;
  for (let j = 0; j < m.length; j += 3) {
    const start = m[j]!;
    if (start < from) {
      // Inside a longer value already replaced; one that runs past it would leave a piece in clear.
      if (m[j + 1]! > from) return { ok: false, reason: 'overlap' };
      continue;
    }
    const v = values[m[j + 2]!]!;
    out += body.slice(from, start);
    if (v.field >= 0) spans += `${spans === '' ? '' : ','}${out.length}:${v.text.length}:${v.field}`;
    out += v.text;
    from = m[j + 1]!;
  }
  out += body.slice(from);
  return residue(out, values) ? { ok: false, reason: 'residue' } : { ok: true, body: out, spans };
}

/** True when a value still stands verbatim in the text (a non-token occurrence, or one the replacements formed). */
function residue(text: string, values: readonly BodyValue[]): boolean {
  for (const { value } of values) if (value !== '' && text.includes(value)) return true;
  return false;
}

/** By start, then the longer match first, so a value holding another is replaced whole. */
function sortTriples(m: number[]): void {
  for (let i = 3; i < m.length; i += 3) {
    const s = m[i]!;
    const e = m[i + 1]!;
    const k = m[i + 2]!;
    let j = i - 3;
    while (j >= 0 && (m[j]! > s || (m[j] === s && m[j + 1]! < e))) {
      m[j + 3] = m[j]!;
      m[j + 4] = m[j + 1]!;
      m[j + 5] = m[j + 2]!;
      j -= 3;
    }
    m[j + 3] = s;
    m[j + 4] = e;
    m[j + 5] = k;
  }
}
