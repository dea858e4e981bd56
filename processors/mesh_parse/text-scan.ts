// Reads one line in a compiled text format (envoy-format.ts) so that free fields (request text the
// client chooses) cannot move the fields around them. The first anchor is matched from the start of
// the line and the last must end at its end; each middle anchor is placed once as far left and once
// as far right as the rest allows. When both placements agree the reading is the only one. When
// they differ the line is ambiguous: every placement of the anchor holding the response code is
// tried and the most restrictive wins (a denial over an error over a success); see resolve().
//
// Linear in the line: an anchor's candidate starts come from indexOf/lastIndexOf of its first
// literal, and a shaped field's scan is remembered per field (anchor-match.ts), so over all candidates
// each character is scanned O(1) times per field. bench/parse-worst-case.bench.ts measures it.
import { matchAnchor, matchAnchorBack, type Scratch, scratchOf } from './anchor-match.ts';
import type { Anchor, TextFormat } from './envoy-format.ts';
import { addExtra, Fields } from './field-key.ts';

export interface TextMatch {
  fields: Fields;
  ambiguous: boolean;
}

const LONG = 4096;

export function scanTextLine(f: TextFormat, line: string): TextMatch | undefined {
  const len = line.length;
  // A long line of another format fails on its head or tail alone, before a regex pass over it all.
  if (len > LONG && !headAndTail(f, line)) return undefined;
  // The common line, one native regex pass (~1.5 µs, bench/RESULTS.md): see TextFormat.pinned.
  if (f.pinned) {
    const m = f.strict.exec(line);
    if (m && quotesAreLiterals(f, m)) return { fields: fieldsOfMatch(f, m), ambiguous: false };
  }
  const sc = scratchOf(f);
  const anchors = f.anchors;
  const last = anchors.length - 1;
  sc.memo.fill(-1);
  const e0 = matchAnchor(anchors[0]!, line, 0, len, sc, 0, true);
  if (e0 < 0 || (last === 0 && e0 !== len)) return undefined;
  sc.chosen[0] = 0;
  sc.chosenEnd[0] = e0;
  let ambiguous = false;
  if (last > 0) {
    // The tail, read from the end: shaped fields end the same way from either side, so it has one
    // placement, and a line of another format fails here in the length of the tail.
    const tail = matchAnchorBack(anchors[last]!, line, len, sc, last);
    if (tail < e0) return undefined;
    sc.left[last] = sc.right[last] = tail;
    sc.leftEnd[last] = sc.rightEnd[last] = len;
    let lo = e0;
    for (let i = 1; i < last; i++) {
      const p = leftmost(anchors[i]!, line, lo, tail, sc, i);
      if (p < 0) return undefined;
      sc.left[i] = p;
      lo = sc.leftEnd[i] = found;
    }
    let hi = tail;
    for (let i = last - 1; i >= 1; i--) {
      // The leftmost placement is itself a candidate, so one is always found.
      const p = rightmost(anchors[i]!, line, sc.left[i]!, hi, sc, i);
      sc.right[i] = p;
      sc.rightEnd[i] = found;
      hi = p;
      if (p !== sc.left[i]) ambiguous = true;
    }
    for (let i = 1; i <= last; i++) {
      sc.chosen[i] = sc.left[i]!;
      sc.chosenEnd[i] = sc.leftEnd[i]!;
    }
    if (ambiguous) resolve(f, line, sc);
    // The tail's spans are still those of matchAnchorBack above.
    for (let i = 1; i < last; i++) matchAnchor(anchors[i]!, line, sc.chosen[i]!, len, sc, i, true);
  }
  return { fields: fieldsOf(f, line, sc), ambiguous };
}

/**
 * Places the middle anchors of an ambiguous line from left to right: the anchor holding the response
 * code at its most restrictive placement (ties to the right: the path, first on the line, is where
 * scanners stuff copies of the line), the others after the free field before them, which takes the
 * longest reading for the path and user agent (what carries quotes in real traffic), else the
 * shortest. Every choice stays within [leftmost, rightmost], so the rest of the line still fits.
 */
function resolve(f: TextFormat, line: string, sc: Scratch): void {
  const anchors = f.anchors;
  const last = anchors.length - 1;
  for (let i = 1; i < last; i++) {
    const a = anchors[i]!;
    const lo = Math.max(sc.left[i]!, sc.chosenEnd[i - 1]!);
    if (a.hasCode) {
      choose(a, line, sc, i, lo, sc.right[i + 1]!);
      continue;
    }
    const greedy = f.free[i - 1]!.key === 'path' || f.free[i - 1]!.key === 'user_agent';
    if (greedy || lo >= sc.right[i]!) {
      sc.chosen[i] = sc.right[i]!;
      sc.chosenEnd[i] = sc.rightEnd[i]!;
    } else {
      sc.chosen[i] = leftmost(a, line, lo, sc.right[i + 1]!, sc, i);
      sc.chosenEnd[i] = found;
    }
  }
}

/** The most restrictive placement of the code's anchor between lo and its rightmost placement. */
function choose(a: Anchor, line: string, sc: Scratch, k: number, lo: number, hi: number): void {
  const lit0 = a.lits[0]!;
  const right = sc.right[k]!;
  let bestScore = -1;
  sc.chosen[k] = right;
  sc.chosenEnd[k] = sc.rightEnd[k]!;
  for (let p = lo; p <= right; p++) {
    if (lit0.length > 0) {
      p = line.indexOf(lit0, p);
      if (p < 0 || p > right) break;
    }
    const e = matchAnchor(a, line, p, hi, sc, k, true);
    if (e < 0) continue;
    const score = restriction(a, line, sc, sc.base[k]!);
    if (score >= bestScore) {
      bestScore = score;
      sc.chosen[k] = p;
      sc.chosenEnd[k] = e;
    }
  }
}

/** 3: a denial (401, 403, an RBAC detail); 2: another 4xx/5xx; 1: no status; 0: success. */
function restriction(a: Anchor, line: string, sc: Scratch, base: number): number {
  let code = 0;
  let denied = false;
  for (let i = 0; i < a.fields.length; i++) {
    const key = a.fields[i]!.key;
    const from = sc.spans[2 * (base + i)]!;
    const to = sc.spans[2 * (base + i) + 1]!;
    if (key === 'code') code = Number(line.slice(from, to)) || 0;
    else if ((key === 'details' || key === 'termination') && line.startsWith('rbac_access_denied', from))
      denied = true;
  }
  if (denied || code === 401 || code === 403) return 3;
  if (code >= 400) return 2;
  return code < 100 ? 1 : 0;
}

// The end of the last successful leftmost/rightmost placement (one thread, no reentrancy).
let found = -1;

/** The first placement of anchor k at or after lo that ends by hi, or -1; its end in `found`. */
function leftmost(a: Anchor, line: string, lo: number, hi: number, sc: Scratch, k: number): number {
  const lit0 = a.lits[0]!;
  if (a.fields.length === 0 && lit0 === '') {
    found = lo;
    return lo;
  }
  for (let p = lo; p <= hi; p++) {
    if (lit0.length > 0) {
      p = line.indexOf(lit0, p);
      if (p < 0 || p > hi) return -1;
    }
    const e = matchAnchor(a, line, p, hi, sc, k, false);
    if (e >= 0) {
      found = e;
      return p;
    }
  }
  return -1;
}

/** The last placement of anchor k at or after lo that ends by hi, or -1; its end in `found`. */
function rightmost(a: Anchor, line: string, lo: number, hi: number, sc: Scratch, k: number): number {
  const lit0 = a.lits[0]!;
  if (a.fields.length === 0 && lit0 === '') {
    found = hi;
    return hi;
  }
  for (let p = hi - lit0.length; p >= lo; p--) {
    if (lit0.length > 0) {
      p = line.lastIndexOf(lit0, p);
      if (p < lo) return -1;
    }
    const e = matchAnchor(a, line, p, hi, sc, k, false);
    if (e >= 0) {
      found = e;
      return p;
    }
  }
  return -1;
}

function headAndTail(f: TextFormat, line: string): boolean {
  const sc = scratchOf(f);
  const last = f.anchors.length - 1;
  sc.memo.fill(-1);
  if (matchAnchor(f.anchors[0]!, line, 0, line.length, sc, 0, false) < 0) return false;
  return last === 0 || matchAnchorBack(f.anchors[last]!, line, line.length, sc, last) >= 0;
}

/** Whether every `"` of a strict match is a literal's: no group whose class admits one holds one. */
function quotesAreLiterals(f: TextFormat, m: RegExpExecArray): boolean {
  const groups = f.quoteGroups;
  for (let i = 0; i < groups.length; i++) if (m[groups[i]!]!.includes('"')) return false;
  return true;
}

function fieldsOfMatch(f: TextFormat, m: RegExpExecArray): Fields {
  const out = new Fields();
  const { keys, known, recent } = f;
  const rec = out as unknown as Record<string, unknown>;
  for (let i = 0; i < keys.length; i++) {
    const raw = m[i + 1];
    if (raw === undefined || raw === '-' || raw === '') continue;
    const v = recent[i]!.of(raw);
    if (known[i]) rec[keys[i]!] = v;
    else addExtra(out, keys[i]!, v);
  }
  return out;
}

/** The fields of the chosen reading; "-" (Envoy's empty) and "" are left out. */
function fieldsOf(f: TextFormat, line: string, sc: Scratch): Fields {
  const out = new Fields();
  const rec = out as unknown as Record<string, unknown>;
  const put = (key: string, known: boolean, v: string) => {
    if (v === '-' || v === '') return;
    if (known) rec[key] = v;
    else addExtra(out, key, v);
  };
  const anchors = f.anchors;
  for (let k = 0; k < anchors.length; k++) {
    const fields = anchors[k]!.fields;
    const base = sc.base[k]!;
    for (let i = 0; i < fields.length; i++) {
      const fd = fields[i]!;
      put(fd.key, fd.known, line.slice(sc.spans[2 * (base + i)], sc.spans[2 * (base + i) + 1]));
    }
    if (k < f.free.length) {
      const fr = f.free[k]!;
      put(fr.key, fr.known, line.slice(sc.chosenEnd[k], sc.chosen[k + 1]));
    }
  }
  return out;
}
