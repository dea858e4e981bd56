// The decoder's quick paths (a CRI line and its timestamp read without a regex) against the
// grammar they shortcut: for every generated line, the same split and the same nanoseconds as the
// regex and Date.parse give, and the same verdict (CRI or not) in both formats that take CRI.
import { describe, expect, it } from 'vitest';
import { PARSE_ERROR_ATTRIBUTE } from '../../../../../agent/kit/attributes.ts';
import type { LogRecord } from '../../../../../agent/kit/record/record.ts';
import { createDecoder } from '../../../../../receivers/filelog/read/decoder.ts';
import { parseRfc3339Nano } from '../../../../../receivers/filelog/read/timestamp.ts';

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;
const CRI = /^(\S+) (stdout|stderr) ([PF])(?::\S*)? ?(.*)$/s;

/** The grammar: the regex, and Date.parse for the calendar. */
function reference(text: string): bigint | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms) * 1_000_000n + (m[2] ? BigInt(m[2].padEnd(9, '0')) : 0n);
}

/** A small seeded generator, so a failure names a case that comes back. */
function random(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}
const pick = <T>(r: (n: number) => number, xs: readonly T[]): T => xs[r(xs.length)]!;

const YEARS = ['0099', '0999', '1000', '1970', '2024', '2026', '9999', '20x6'];
const MONTHS = ['00', '01', '02', '11', '12', '13', '1'];
const DAYS = ['00', '01', '28', '29', '30', '31', '32'];
const HOURS = ['00', '09', '23', '24', '9x'];
const MINUTES = ['00', '59', '60'];
const FRACTIONS = ['', '.', '.1', '.12', '.123456', '.123456789', '.1234567890', '.12a', '.000000001'];
const ZONES = [
  'Z',
  'z',
  '+00:00',
  '-07:30',
  '+05:45',
  '+23:59',
  '+24:00',
  '-00:60',
  '+05',
  'Zx',
  '',
  '+0530',
];

function timestamp(r: (n: number) => number): string {
  const sep = r(20) === 0 ? ' ' : 'T';
  return `${pick(r, YEARS)}-${pick(r, MONTHS)}-${pick(r, DAYS)}${sep}${pick(r, HOURS)}:${pick(r, MINUTES)}:${pick(r, MINUTES)}${pick(r, FRACTIONS)}${pick(r, ZONES)}`;
}

describe('parseRfc3339Nano', () => {
  it('gives what the regex and Date.parse give, for 20,000 generated timestamps', () => {
    const r = random(7);
    let valid = 0;
    for (let i = 0; i < 20_000; i++) {
      const t = timestamp(r);
      const want = reference(t);
      if (want !== undefined) valid++;
      expect(parseRfc3339Nano(t), t).toBe(want);
      // The same text inside a line, read in place.
      expect(parseRfc3339Nano(`x${t} y`, 1, 1 + t.length), t).toBe(want);
    }
    expect(valid).toBeGreaterThan(300); // the generator reaches both verdicts
  });

  it('reads the runtimes’ own forms', () => {
    expect(parseRfc3339Nano('2026-11-20T10:15:00.123456789Z')).toBe(1_795_169_700_123_456_789n);
    expect(parseRfc3339Nano('2026-11-20T10:15:00.12Z')).toBe(1_795_169_700_120_000_000n);
    expect(parseRfc3339Nano('2026-11-20T11:15:00.000000001+01:00')).toBe(1_795_169_700_000_000_001n);
    expect(parseRfc3339Nano('2024-02-29T00:00:00Z')).toBe(reference('2024-02-29T00:00:00Z'));
    expect(parseRfc3339Nano('2026-11-20 10:15:00Z')).toBeUndefined();
  });
});

const STREAMS = ['stdout', 'stderr', 'stdin', 'stdoutx', 'STDOUT'];
const TAGS = ['F', 'P', 'X', 'F:x', 'P:a,b', 'F:', 'F:é', 'Fz', 'F:x\ty'];
const GAPS = [' ', '', '  ', '\t'];
const MESSAGES = ['', 'hello', 'a b', ' lead', 'é ü', 'x\ty', '{"log":"no"}', 'end '];
const TIMES = [
  '2026-11-20T10:15:00.123456789Z',
  '2026-11-20T11:15:00.5+01:00',
  '2026-11-31T10:15:00Z',
  'now',
];

describe('the CRI decoder', () => {
  it('splits 5,000 generated lines as the CRI grammar does, in cri and auto', () => {
    const r = random(11);
    const observed = 42n;
    let matched = 0;
    for (let i = 0; i < 5000; i++) {
      const line = `${pick(r, TIMES)}${pick(r, GAPS.slice(0, 2))}${pick(r, STREAMS)} ${pick(r, TAGS)}${pick(r, GAPS)}${pick(r, MESSAGES)}`;
      const m = CRI.exec(line);
      for (const format of ['cri', 'auto'] as const) {
        const out: LogRecord[] = [];
        createDecoder({ format, maxLogSize: 1 << 20 })([line], out, { observedTimeUnixNano: observed });
        expect(out.length, line).toBe(1);
        const rec = out[0]!;
        if (m) {
          expect(rec.body, line).toBe(m[4]);
          expect(rec.attributes['log.iostream'], line).toBe(m[2]);
          expect(rec.observedTimeUnixNano, line).toBe(reference(m[1]!) ?? observed); // the runtime's time is the observed time
          // A lone P piece is the run's cut start: emitted at the batch's end, marked.
          expect(rec.attributes['meshtail.log.truncated'], line).toBe(m[3] === 'P' ? true : undefined);
          expect(rec.attributes[PARSE_ERROR_ATTRIBUTE], line).toBeUndefined();
        } else {
          expect(rec.body, line).toBe(line);
          expect(rec.attributes['log.iostream'], line).toBeUndefined();
          // Only a line said to be CRI is an error when it is not; auto takes it as raw.
          expect(rec.attributes[PARSE_ERROR_ATTRIBUTE] !== undefined, line).toBe(format === 'cri');
        }
      }
      if (m) matched++;
    }
    expect(matched).toBeGreaterThan(500);
    expect(matched).toBeLessThan(4500);
  });
});
