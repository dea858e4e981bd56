// One attribute condition of a rule, compiled once: string patterns (exact values in a Set, globs in
// one RegExp) and status ranges. Per record a condition is a typeof check and one lookup or test.
import type { AttributeValue } from '../../agent/kit/record/record.ts';

export type ValueTest = (value: AttributeValue | undefined) => boolean;

/**
 * Exact strings, or globs where `*` matches any characters (`/api/*` is a prefix, `*.svc` a suffix).
 * A boolean attribute (meshtail.user.verified, meshtail.parse.ambiguous) matches "true" or "false".
 */
export function stringTest(patterns: string | readonly string[]): ValueTest {
  const list = typeof patterns === 'string' ? [patterns] : patterns;
  const exact = new Set(list.filter((p) => !p.includes('*')));
  const globs = list.filter((p) => p.includes('*'));
  const prefixes = globs.filter((g) => g.indexOf('*') === g.length - 1).map((g) => g.slice(0, -1));
  const others = globs.filter((g) => g.indexOf('*') !== g.length - 1);
  const re = others.length > 0 ? new RegExp(`^(?:${others.map(globSource).join('|')})$`, 's') : undefined;
  return (value) => {
    const v = typeof value === 'boolean' ? String(value) : value;
    if (typeof v !== 'string') return false;
    if (exact.has(v)) return true;
    for (const p of prefixes) if (v.startsWith(p)) return true;
    return re?.test(v) === true;
  };
}

function globSource(glob: string): string {
  return glob
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
}

/** 404, "404", "5xx", "500-504": inclusive ranges over an integer attribute. */
export function statusTest(statuses: number | string | readonly (number | string)[]): ValueTest {
  const list = Array.isArray(statuses) ? statuses : [statuses];
  const ranges = list.map(statusRange);
  return (v) => {
    if (typeof v !== 'number') return false;
    for (const [lo, hi] of ranges) if (v >= lo && v <= hi) return true;
    return false;
  };
}

function statusRange(s: number | string): [number, number] {
  if (typeof s === 'number') return [s, s];
  if (s.endsWith('xx')) return [Number(s[0]) * 100, Number(s[0]) * 100 + 99];
  const [lo, hi] = s.split('-');
  return [Number(lo), Number(hi ?? lo)];
}
