// Compiles an Envoy format string once into two anchored positional regexes over canonical field
// keys. `strict` reads quoted fields as [^"]* and fails fast on lines of other formats; `loose` is
// tried only when no strict pattern matched, and lets the fields Envoy copies from the request
// unescaped (path, user agent, other headers: envoy#4191) contain quotes, by backtracking to the
// positions where the rest of the line still matches.
import { addExtra, Fields, isKnownField, operatorKey } from './field-key.ts';

type Part = { lit: string } | { key: string };

export interface TextFormat {
  name: string;
  /** The literal the format starts with (`[`), a cheap first test. */
  prefix: string;
  strict: RegExp;
  loose: RegExp;
  keys: string[];
  /** Per key: a declared Fields property (true) or an extra (false). */
  known: boolean[];
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
// Fields that come from the client unescaped, so may carry quotes and spaces.
const FREE = (key: string) =>
  key === 'path' || key === 'user_agent' || key === 'xff' || key === 'authority' || key.startsWith('req:');

export function compileTextFormat(name: string, format: string): TextFormat {
  const parts = tokenize(format.replace(/\n+$/, ''));
  const keys: string[] = [];
  let strict = '^';
  let loose = '^';
  parts.forEach((p, i) => {
    if ('lit' in p) {
      const lit = escapeRegex(p.lit);
      strict += lit;
      loose += lit;
      return;
    }
    keys.push(p.key);
    const before = i > 0 && 'lit' in parts[i - 1]! ? (parts[i - 1] as { lit: string }).lit : '';
    const after = i + 1 < parts.length && 'lit' in parts[i + 1]! ? (parts[i + 1] as { lit: string }).lit : '';
    const [s, l] = patterns(p.key, before, after);
    strict += s;
    loose += l;
  });
  const first = parts[0];
  return {
    name,
    prefix: first && 'lit' in first ? first.lit : '',
    strict: new RegExp(`${strict}$`),
    loose: new RegExp(`${loose}$`),
    keys,
    known: keys.map(isKnownField),
  };
}

/** The fields of a line the regex matched; "-" (Envoy's empty) is left out. */
export function fieldsOf(format: TextFormat, m: RegExpExecArray): Fields {
  const out = new Fields();
  const { keys, known } = format;
  const rec = out as unknown as Record<string, unknown>;
  for (let i = 0; i < keys.length; i++) {
    const v = m[i + 1];
    if (v === undefined || v === '-' || v === '') continue;
    if (known[i]) rec[keys[i]!] = v;
    else addExtra(out, keys[i]!, v);
  }
  return out;
}

function patterns(key: string, before: string, after: string): [string, string] {
  if (NUMERIC.has(key)) return ['(-|\\d+)', '(-|\\d+)'];
  if (before.endsWith('[') && after.startsWith(']')) return ['([^\\]]*)', '([^\\]]*)'];
  const quoted = before.endsWith('"') && after.startsWith('"');
  if (TOKEN.has(key)) return quoted ? ['([^"]*)', '([^"]*)'] : ['([^\\s"]+)', '([^\\s"]+)'];
  // Greedy for the path and user agent (what scanners stuff with quotes), lazy for the other headers:
  // when two neighbouring client-controlled fields both hold `" "`, the split is a guess either way.
  if (quoted)
    return ['([^"]*)', key === 'path' || key === 'user_agent' ? '(.*)' : FREE(key) ? '(.*?)' : '([^"]*)'];
  return ['(\\S+)', '(.*?)'];
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
