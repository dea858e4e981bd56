import { describe, expect, it } from 'vitest';
import { criWrap } from '../../../../agent/demo/istio-traffic.ts';
import { parseRfc3339Nano } from '../../../../receivers/filelog/read/timestamp.ts';

// The filelog decoder's CRI shape: `<time> <stream> <P|F> <message>`.
const CRI = /^(\S+) (stdout|stderr) ([PF]) (.*)$/s;

describe('criWrap', () => {
  it('frames a line as containerd writes it, with nanoseconds', () => {
    const t = 1_795_601_700_123_456_789n;
    expect(criWrap('hello world', t, 'stdout')).toBe('2026-11-25T10:15:00.123456789Z stdout F hello world');
    const m = CRI.exec(criWrap('[x] "GET / HTTP/1.1"', t, 'stderr'))!;
    expect(m.slice(2)).toEqual(['stderr', 'F', '[x] "GET / HTTP/1.1"']);
    expect(parseRfc3339Nano(m[1]!)).toBe(t);
  });

  it('trims trailing zeros of the fraction like Go RFC3339Nano, and round-trips', () => {
    expect(criWrap('x', 1_795_601_700_120_000_000n)).toBe('2026-11-25T10:15:00.12Z stdout F x');
    expect(criWrap('x', 1_795_601_700_000_000_000n)).toBe('2026-11-25T10:15:00Z stdout F x');
    for (const t of [1_795_601_700_000_000_001n, 1_795_601_700_100_000_000n]) {
      expect(parseRfc3339Nano(CRI.exec(criWrap('x', t))![1]!)).toBe(t);
    }
  });
});
