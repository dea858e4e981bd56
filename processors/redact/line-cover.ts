// Where a record's string attributes stand in its line, so the line's scan does not start a
// detector there again: "mask fields, not lines" (DESIGN.md). mesh_parse's attributes hold nearly
// all of an access line verbatim, and the line was scanned a second time whole. A stretch is only
// taken where no detector started inside it could read past its ends or be changed by the text
// beside it (the README's "What the line's scan skips"); anywhere else the copy is scanned as before.
import { numberRun } from './number-run.ts';

/** Shorter values cost more to look for than to scan (a method, a protocol version). */
const MIN_LENGTH = 4;
/** Places tried per value: a value that is not bounded where it stands is simply scanned. */
const TRIES = 4;
/**
 * An attribute not found in MISS_LIMIT lines in a row (pod names, tenants) is looked for in one
 * line in RETRY after: a failed search reads the whole line.
 */
const MISS_LIMIT = 8;
const RETRY = 64;
/** How far before its last place a value is looked for first. */
const NEAR = 16;

/** What one attribute's last line taught: where its value stood after the previous stretch. */
export interface CoverHint {
  /** From the end of the previous stretch to this value's start (NaN: not known). */
  offset: number;
  /** Where it started in the last line (NaN: not known). */
  at: number;
  /** Lines in a row without the value. */
  misses: number;
}

const TAB = 9;
const SPACE = 32;
const QUOTE = 34;
const APOSTROPHE = 39;
const COLON = 58;

export class LineCover {
  #line: string | undefined;
  /** Where the last stretch ended: mesh_parse writes most attributes in line order. */
  #cursor = 0;
  /** Start, end pairs, sorted by start (they may overlap). */
  readonly #stretches: number[] = [];

  /** Starts a record; `line` undefined (no string body, or too long to inspect) covers nothing. */
  reset(line: string | undefined): void {
    this.#line = line;
    this.#cursor = 0;
    this.#stretches.length = 0;
  }

  /**
   * Covers one place where `value`, scanned whole by the text detectors, stands in the line. The
   * place the hint predicts is tried first: records of one format put a value at the same distance
   * from the one before; two searches per value were the cost of covering (bench/RESULTS.md).
   */
  add(value: string, shape: number, hint: CoverHint): void {
    const line = this.#line;
    if (line === undefined || value.length < MIN_LENGTH) return;
    const cursor = this.#cursor;
    const guess = cursor + hint.offset;
    if (guess >= 0 && line.startsWith(value, guess) && bounded(line, guess, guess + value.length, shape)) {
      this.#take(guess, guess + value.length, hint);
      return;
    }
    if (hint.misses >= MISS_LIMIT && hint.misses++ % RETRY !== 0) return;
    // Near where it stood in the last line (the fields before it vary in length), then anywhere.
    let at = hint.at >= 0 ? line.indexOf(value, hint.at > NEAR ? hint.at - NEAR : 0) : -1;
    if (at < 0) at = line.indexOf(value);
    for (let tries = 0; at >= 0 && tries < TRIES; tries++) {
      const end = at + value.length;
      if (bounded(line, at, end, shape)) {
        this.#take(at, end, hint);
        return;
      }
      at = line.indexOf(value, at + 1);
    }
    hint.offset = Number.NaN;
    hint.at = Number.NaN;
    if (at < 0 && hint.misses < MISS_LIMIT) hint.misses++;
  }

  stretches(): readonly number[] {
    return this.#stretches;
  }

  #take(start: number, end: number, hint: CoverHint): void {
    hint.offset = start - this.#cursor;
    hint.at = start;
    hint.misses = 0;
    this.#cursor = end;
    const s = this.#stretches;
    let k = s.length;
    s.push(start, end);
    for (; k > 0 && s[k - 2]! > start; k -= 2) {
      s[k] = s[k - 2]!;
      s[k + 1] = s[k - 1]!;
    }
    s[k] = start;
    s[k + 1] = end;
  }
}

/**
 * Whether [start, end) may be skipped. Before it: the line's start, a space, a tab or a quote (no
 * key, word or base64 run reaches in). After it: the line's end, a space, a tab or a quote, where
 * every value reader of the context detectors stops; or `:` after a host or an address
 * (`10.244.2.13:9080`), which holds no separator a detector starts at. Number runs cross spaces
 * (card groups) and read a keyword before them (`ssn 078051120`): a stretch starting with a number
 * is read as the line's scan would, and one ending with digits before more digits is not taken.
 */
function bounded(line: string, start: number, end: number, shape: number): boolean {
  if (start > 0 && !edge(line.charCodeAt(start - 1))) return false;
  if (end < line.length) {
    const after = line.charCodeAt(end);
    if (after === COLON ? (shape & HOST) === 0 : !edge(after)) return false;
    if (after === SPACE && numberEnd(line.charCodeAt(end - 1)) && numberNext(line, end)) {
      const run = numberRun(line, lastRunStart(line, start, end));
      if (run.kind !== undefined && run.end > end) return false;
    }
  }
  const first = line.charCodeAt(start);
  if ((shape & QUAD) === 0 && ((first >= 48 && first <= 57) || first === 43 || first === 40)) {
    const run = numberRun(line, start);
    if ((run.kind !== undefined && run.end > end) || run.kind === 'ssn' || run.kind === 'phone') return false;
  }
  return true;
}

/** Where a number run ending the stretch could start: back over digits, separators, `(` and `+`. */
function lastRunStart(line: string, start: number, end: number): number {
  let p = end;
  while (p > start && numberChar(line.charCodeAt(p - 1))) p--;
  while (p < end && !startsRun(line.charCodeAt(p))) p++;
  return p;
}

const numberChar = (c: number) =>
  (c >= 48 && c <= 57) || c === SPACE || c === 45 || c === 46 || c === 40 || c === 41 || c === 43;
const startsRun = (c: number) => (c >= 48 && c <= 57) || c === 40 || c === 43;

const edge = (c: number) => c === SPACE || c === QUOTE || c === APOSTROPHE || c === TAB;
const numberEnd = (c: number) => (c >= 48 && c <= 57) || c === 41;

/** Spaces, then a digit, `(` or `+`: where a number run could go on. */
function numberNext(line: string, end: number): boolean {
  let p = end;
  while (line.charCodeAt(p) === SPACE) p++;
  const c = line.charCodeAt(p);
  return (c >= 48 && c <= 57) || c === 40 || c === 43;
}

/** Letters, digits, `.` and `-` only: no separator a detector starts at, `:` after it is safe. */
const HOST = 1;
/** Starts with a dotted quad not followed by a separator: a number run there reads the quad only. */
const QUAD = 2;

/** What of a value bounded() needs, worked out once per distinct value (memoised with its result). */
export function coverShape(value: string): number {
  let host = HOST;
  for (let p = 0; p < value.length; p++) {
    const c = value.charCodeAt(p);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 45)) {
      host = 0;
      break;
    }
  }
  return host | (dottedQuadEnd(value) ? QUAD : 0);
}

function dottedQuadEnd(value: string): boolean {
  let p = 0;
  for (let group = 0; group < 4; group++) {
    const g = p;
    while (p < value.length && p - g < 4 && value.charCodeAt(p) >= 48 && value.charCodeAt(p) <= 57) p++;
    if (p === g || p - g > 3) return false;
    if (group < 3) {
      if (value.charCodeAt(p) !== 46) return false;
      p++;
    }
  }
  const next = value.charCodeAt(p);
  return !(next >= 48 && next <= 57) && next !== SPACE && next !== 45 && next !== 46;
}
