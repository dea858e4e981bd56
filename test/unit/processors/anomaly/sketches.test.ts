import { describe, expect, it } from 'vitest';
import { HeavyHitters } from '../../../../processors/anomaly/count-min.ts';
import { hllAdd, hllCreate, hllEstimate, hllMerge } from '../../../../processors/anomaly/hyperloglog.ts';
import { type Alarm, step } from '../../../../processors/anomaly/hysteresis.ts';
import {
  histogramAdd,
  histogramMerge,
  histogramQuantile,
  type LogHistogram,
} from '../../../../processors/anomaly/log-histogram.ts';
import { mad, median } from '../../../../processors/anomaly/mad.ts';

describe('sketches', () => {
  it('HyperLogLog counts distinct values within 3 standard errors and merges', () => {
    const a = hllCreate();
    const b = hllCreate();
    for (let i = 0; i < 5000; i++) hllAdd(i % 2 ? a : b, `/path/${i}`);
    hllMerge(a, b);
    expect(Math.abs(hllEstimate(a) - 5000) / 5000).toBeLessThan(0.2);
    const small = hllCreate();
    for (let i = 0; i < 30; i++) hllAdd(small, `p${i % 10}`);
    expect(Math.round(hllEstimate(small))).toBeGreaterThanOrEqual(9);
    expect(Math.round(hllEstimate(small))).toBeLessThanOrEqual(11);
  });

  it('count-min heavy hitters name the top sources', () => {
    const h = new HeavyHitters(3);
    for (let i = 0; i < 200; i++) h.add(`noise-${i}`, 1);
    h.add('big', 500);
    h.add('second', 300);
    expect(h.top(2).map((x) => x.key)).toEqual(['big', 'second']);
  });

  it('the log histogram returns quantiles within 2% and merges', () => {
    const a: LogHistogram = new Map();
    const b: LogHistogram = new Map();
    for (let i = 1; i <= 1000; i++) histogramAdd(i % 2 ? a : b, i);
    histogramMerge(a, b);
    const p99 = histogramQuantile(a, 0.99) ?? 0;
    expect(Math.abs(p99 - 990) / 990).toBeLessThan(0.03);
  });

  it('median and MAD ignore an outlier', () => {
    const v = [10, 11, 9, 10, 1000];
    expect(median(v)).toBe(10);
    expect(mad(v)).toBe(1);
  });

  it('hysteresis fires after N and resolves after M', () => {
    const alarms = new Map<string, Alarm>();
    expect(step(alarms, 'x', true, 0, 2, 2)).toBeUndefined();
    expect(step(alarms, 'x', true, 1, 2, 2)).toBe('fired');
    expect(step(alarms, 'x', false, 2, 2, 2)).toBeUndefined();
    expect(step(alarms, 'x', false, 3, 2, 2)).toBe('resolved');
  });
});
