// Compiles an Envoy format string once into anchors for the scanner (text-scan.ts). Envoy copies
// request text unescaped (path, user agent, other headers: envoy#4191), so those fields are "free":
// they may hold quotes, spaces and copies of the rest of the line. Every other field has a shape
// the client cannot forge (a number, a token without spaces or quotes, quoted text without quotes,
// a bracketed time); the literals and shaped fields between two free fields form one anchor.
import { isKnownField, operatorKey } from './field-key.ts';
import { Recent } from './recent.ts';

type Part = { lit: string } | { key: string };

/**
 * What a shaped field may hold. Number: `-` or digits. Token: no whitespace or quote, not empty.
 * Quoted: anything but a quote (between quotes). Bracketed: anything but `]`. NonSpace: no
 * whitespace, not empty (an operator meshtail does not know, unquoted).
 */
export const Shape = { Number: 0, Token: 1, Quoted: 2, Bracketed: 3, NonSpace: 4 } as const;
export type Shape = (typeof Shape)[keyof typeof Shape];

export interface ShapedField {
  key: string;
  known: boolean;
  shape: Shape;
  /** The first character of the literal after the field (-1 if none): also ends the field. */
  stopAt: number;
  /** The last character of the literal before it (-1 if none): never in the field either, so the
   * field ends the same way read from either side. */
  stopBefore: number;
}

/** lits[0] fields[0] lits[1] ... fields[k-1] lits[k]: matched as one unit. */
export interface Anchor {
  lits: string[];
  fields: ShapedField[];
  /** Whether a field of this anchor is the response code (the one ambiguity resolves on). */
  hasCode: boolean;
}

export interface FreeField {
  key: string;
  known: boolean;
}

export interface TextFormat {
  name: string;
  /** The literal the format starts with (`[`), a cheap first test. */
  prefix: string;
  /** anchors[0] free[0] anchors[1] ... free[m-1] anchors[m]. */
  anchors: Anchor[];
  free: FreeField[];
  /**
   * The format as one regex that reads free fields like shaped ones (no quotes, path without
   * spaces). Linear, unambiguous; the scanner does the parsing, this serves tools and tests.
   */
  strict: RegExp;
  keys: string[];
  /** Per key: a declared Fields property (true) or an extra (false). */
  known: boolean[];
  /** Groups of `strict` (1-based) whose class admits `"`: a line whose quotes are all the
   * literals' has none there. */
  quoteGroups: number[];
  /**
   * Whether a line that `strict` matches and that holds no `"` beyond the literals' can be read only
   * one way: then every quote is a literal's, each anchor after the first holds one, and its shaped
   * fields end at characters their class excludes, so every anchor is pinned in place.
   */
  pinned: boolean;
  /** Per key: its value on the last line read by `strict`, reused when equal. */
  recent: Recent[];
}

const NUMERIC = new Set(['code', 'bytes_received', 'bytes_sent', 'duration', 'upstream_service_time']);
const TOKEN = new Set([
  'method',
  'protocol',
  'flags',
  'details',
  'termination',
  'upstream_host',
  'upstream_cluster',
  'upstream_local',
  'downstream_local',
  'downstream_remote',
  'sni',
  'route',
  'start_time',
]);

/**
 * Fields whose text the client (or the app, for response headers) chooses: the path, every request
 * and response header (the request id and x-forwarded-for included: a client can send both) and
 * dynamic metadata (a JWT's claims are the issuer's user's text).
 */
export function isFree(key: string): boolean {
  return (
    key === 'path' ||
    key === 'user_agent' ||
    key === 'xff' ||
    key === 'authority' ||
    key === 'request_id' ||
    key.startsWith('req:') ||
    key.startsWith('resp:') ||
    key.startsWith('dm:')
  );
}

export function compileTextFormat(name: string, format: string): TextFormat {
  const parts = tokenize(format.replace(/\n+$/, ''));
  const keys: string[] = [];
  const anchors: Anchor[] = [];
  const free: FreeField[] = [];
  let anchor: Anchor = { lits: [''], fields: [], hasCode: false };
  let strict = '^';
  const quoteGroups: number[] = [];
  parts.forEach((p, i) => {
    if ('lit' in p) {
      anchor.lits[anchor.lits.length - 1] += p.lit;
      strict += escapeRegex(p.lit);
      return;
    }
    keys.push(p.key);
    const before = i > 0 && 'lit' in parts[i - 1]! ? (parts[i - 1] as { lit: string }).lit : '';
    const after = i + 1 < parts.length && 'lit' in parts[i + 1]! ? (parts[i + 1] as { lit: string }).lit : '';
    const shape = shapeOf(p.key, before, after);
    strict += STRICT[shape];
    if (shape === Shape.NonSpace || shape === Shape.Bracketed) quoteGroups.push(keys.length);
    if (isFree(p.key)) {
      anchors.push(anchor);
      free.push({ key: p.key, known: isKnownField(p.key) });
      anchor = { lits: [''], fields: [], hasCode: false };
      return;
    }
    anchor.fields.push({
      key: p.key,
      known: isKnownField(p.key),
      shape,
      stopAt: after === '' ? -1 : after.charCodeAt(0),
      stopBefore: before === '' ? -1 : before.charCodeAt(before.length - 1),
    });
    anchor.lits.push('');
    if (p.key === 'code') anchor.hasCode = true;
  });
  anchors.push(anchor);
  const first = parts[0];
  return {
    name,
    prefix: first && 'lit' in first ? first.lit : '',
    anchors,
    free,
    strict: new RegExp(`${strict}$`),
    keys,
    known: keys.map(isKnownField),
    quoteGroups,
    recent: keys.map(() => new Recent()),
    pinned: anchors.every((a, i) => (i === 0 || a.lits.join('').includes('"')) && a.fields.every(bounded)),
  };
}

/** A field whose strict class excludes the characters of the literals on both sides of it. */
function bounded(f: ShapedField): boolean {
  const ends = [f.stopAt, f.stopBefore];
  if (f.shape === Shape.Quoted) return ends.every((c) => c === 34);
  if (f.shape === Shape.Bracketed) return f.stopAt === 93 && f.stopBefore === 91;
  // -1: the line's start or end.
  return ends.every((c) => c === 34 || c === 32 || c === -1);
}

const STRICT: Record<Shape, string> = {
  [Shape.Number]: '(-|\\d+)',
  [Shape.Token]: '([^\\s"]+)',
  [Shape.Quoted]: '([^"]*)',
  [Shape.Bracketed]: '([^\\]]*)',
  [Shape.NonSpace]: '(\\S+)',
};

function shapeOf(key: string, before: string, after: string): Shape {
  if (NUMERIC.has(key)) return Shape.Number;
  if (before.endsWith('[') && after.startsWith(']')) return Shape.Bracketed;
  if (before.endsWith('"') && after.startsWith('"')) return Shape.Quoted;
  if (TOKEN.has(key)) return Shape.Token;
  return Shape.NonSpace;
}

function tokenize(format: string): Part[] {
  const parts: Part[] = [];
  let lit = '';
  let i = 0;
  while (i < format.length) {
    const op = format[i] === '%' ? readOperator(format, i) : undefined;
    if (!op) {
      lit += format[i++];
      continue;
    }
    if (lit) parts.push({ lit });
    lit = '';
    parts.push({ key: operatorKey(op.name, op.arg) });
    i = op.end;
  }
  if (lit) parts.push({ lit });
  return parts;
}

/** `%NAME%`, `%NAME(arg)%` or `%NAME(arg):N%` starting at `start`; arg may nest parentheses and `%`. */
function readOperator(s: string, start: number): { name: string; arg?: string; end: number } | undefined {
  const m = /^%([A-Z][A-Z0-9_]*)/.exec(s.slice(start, start + 64));
  if (!m) return undefined;
  const name = m[1]!;
  let i = start + m[0].length;
  let arg: string | undefined;
  if (s[i] === '(') {
    let depth = 0;
    const open = i;
    for (; i < s.length; i++) {
      if (s[i] === '(') depth++;
      else if (s[i] === ')' && --depth === 0) break;
    }
    if (i >= s.length) return undefined;
    arg = s.slice(open + 1, i);
    i++;
  }
  const width = /^:\d+/.exec(s.slice(i, i + 12));
  if (width) i += width[0].length;
  if (s[i] !== '%') return undefined;
  return arg === undefined ? { name, end: i + 1 } : { name, arg, end: i + 1 };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
