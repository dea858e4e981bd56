// Matches one anchor of a compiled text format (envoy-format.ts) at a position: forwards from its
// start, or backwards from its end (the tail). A shaped field ends at the first character its shape
// excludes, the same read from either side; each field's last scan is remembered (memo), so trying
// an anchor at every candidate start of a line reads each character a bounded number of times.
import { type Anchor, Shape, type ShapedField, type TextFormat } from './envoy-format.ts';

/** Per-format scratch, sized once. */
export interface Scratch {
  /** Per shaped field: [from, end) of the last scan, a run with no stop character. */
  memo: Int32Array;
  /** Per shaped field: [start, end) in the chosen reading. */
  spans: Int32Array;
  /** Global index of each anchor's first shaped field. */
  base: number[];
  left: Int32Array;
  right: Int32Array;
  leftEnd: Int32Array;
  rightEnd: Int32Array;
  chosen: Int32Array;
  chosenEnd: Int32Array;
}

const scratches = new WeakMap<TextFormat, Scratch>();

export function scratchOf(f: TextFormat): Scratch {
  let s = scratches.get(f);
  if (s) return s;
  const base: number[] = [];
  let n = 0;
  for (const a of f.anchors) {
    base.push(n);
    n += a.fields.length;
  }
  const m = f.anchors.length;
  s = {
    memo: new Int32Array(2 * n),
    spans: new Int32Array(2 * n),
    base,
    left: new Int32Array(m),
    right: new Int32Array(m),
    leftEnd: new Int32Array(m),
    rightEnd: new Int32Array(m),
    chosen: new Int32Array(m),
    chosenEnd: new Int32Array(m),
  };
  scratches.set(f, s);
  return s;
}

/** The start of anchor k matched backwards so that it ends at `end`, or -1. Records spans. */
export function matchAnchorBack(a: Anchor, line: string, end: number, sc: Scratch, k: number): number {
  const { lits, fields } = a;
  const base = sc.base[k]!;
  let pos = end;
  for (let i = fields.length; ; i--) {
    const lit = lits[i]!;
    if (lit.length > 0) {
      if (pos < lit.length || !line.endsWith(lit, pos)) return -1;
      pos -= lit.length;
    }
    if (i === 0) return pos;
    const f = fields[i - 1]!;
    let start = pos;
    if (f.shape === Shape.Number && line.charCodeAt(pos - 1) === 45 /* - */) start = pos - 1;
    else {
      while (start > 0 && !isStop(f, line.charCodeAt(start - 1))) start--;
      if (start === pos && f.shape !== Shape.Quoted && f.shape !== Shape.Bracketed) return -1;
    }
    sc.spans[2 * (base + i - 1)] = start;
    sc.spans[2 * (base + i - 1) + 1] = pos;
    pos = start;
  }
}

/** The end of anchor k matched at p, within limit, or -1. Records spans when asked. */
export function matchAnchor(
  a: Anchor,
  line: string,
  p: number,
  limit: number,
  sc: Scratch,
  k: number,
  record: boolean,
): number {
  const { lits, fields } = a;
  const base = sc.base[k]!;
  let pos = p;
  for (let i = 0; ; i++) {
    const lit = lits[i]!;
    if (lit.length > 0) {
      if (pos + lit.length > limit || !line.startsWith(lit, pos)) return -1;
      pos += lit.length;
    }
    if (i === fields.length) return pos;
    const end = scanField(line, pos, fields[i]!, sc.memo, base + i);
    if (end < 0 || end > limit) return -1;
    if (record) {
      sc.spans[2 * (base + i)] = pos;
      sc.spans[2 * (base + i) + 1] = end;
    }
    pos = end;
  }
}

function scanField(line: string, q: number, f: ShapedField, memo: Int32Array, g: number): number {
  const shape = f.shape;
  if (shape === Shape.Number && line.charCodeAt(q) === 45 /* - */) return q + 1;
  const end = runEnd(line, q, f, memo, g);
  const empty = end === q;
  if (empty && (shape === Shape.Number || shape === Shape.Token || shape === Shape.NonSpace)) return -1;
  return end;
}

/** The first stop character at or after q, reusing the field's last scan when q falls inside it. */
function runEnd(line: string, q: number, f: ShapedField, memo: Int32Array, g: number): number {
  const from = memo[2 * g]!;
  const end = memo[2 * g + 1]!;
  if (from >= 0 && q >= from && q <= end) return end;
  const join = from >= 0 && q < from ? from : -1;
  const len = line.length;
  let i = q;
  for (; i < len; i++) {
    if (i === join) {
      i = end;
      break;
    }
    if (isStop(f, line.charCodeAt(i))) break;
  }
  memo[2 * g] = q;
  memo[2 * g + 1] = i;
  return i;
}

function isStop(f: ShapedField, c: number): boolean {
  if (c === f.stopAt || c === f.stopBefore) return true;
  switch (f.shape) {
    case Shape.Number:
      return c < 48 || c > 57;
    case Shape.Token:
      return c === 34 || isSpace(c);
    case Shape.Quoted:
      return c === 34;
    case Shape.Bracketed:
      return c === 93;
    default:
      return isSpace(c);
  }
}

/** JavaScript's `\s`. */
function isSpace(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  if (c < 160) return false;
  return (
    c === 160 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}
