// RED series: one per (dimensions, status class), with request and error counts and a duration
// histogram. Worker and main thread share this code: the worker fills a table per batch, the main
// thread merges tables into its running totals. Tables are plain data (structured-cloneable).
import type { Attributes } from '../../agent/kit/record/record.ts';
import type { RedMetricsConfig } from './config.ts';
import { type ExpoBuckets, emptyExpo, expoMerge, expoRecord } from './expo-histogram.ts';

export const OVERFLOW_KEY = '\u0000overflow';
export const OVERFLOW_ATTRIBUTES: Attributes = { 'otel.metric.overflow': true };

export interface Series {
  attributes: Attributes;
  count: number;
  errors: number;
  /** Seconds. */
  sum: number;
  min: number;
  max: number;
  /** Explicit histogram: bucket counts (bounds + 1). */
  buckets?: number[];
  expo?: ExpoBuckets;
}

export interface SeriesTable {
  series: Map<string, Series>;
  /** Records that went to the overflow series because the table was full. */
  overflowed: number;
}

export function newTable(): SeriesTable {
  return { series: new Map(), overflowed: 0 };
}

function newSeries(attributes: Attributes, config: RedMetricsConfig): Series {
  const s: Series = { attributes, count: 0, errors: 0, sum: 0, min: Infinity, max: -Infinity };
  if (config.histogram.type === 'explicit')
    s.buckets = new Array(config.histogram.buckets.length + 1).fill(0);
  else s.expo = emptyExpo();
  return s;
}

/** The series for a key, or the overflow series once `max_series` series exist. */
function seriesFor(t: SeriesTable, key: string, attrs: () => Attributes, config: RedMetricsConfig): Series {
  let s = t.series.get(key);
  if (s) return s;
  // The overflow series itself does not count against the limit.
  const full = t.series.size - (t.series.has(OVERFLOW_KEY) ? 1 : 0) >= config.max_series;
  if (full) {
    s = t.series.get(OVERFLOW_KEY);
    if (s) return s;
    s = newSeries(OVERFLOW_ATTRIBUTES, config);
    t.series.set(OVERFLOW_KEY, s);
    return s;
  }
  s = newSeries(attrs(), config);
  t.series.set(key, s);
  return s;
}

export function addRequest(
  t: SeriesTable,
  key: string,
  attrs: () => Attributes,
  seconds: number,
  error: boolean,
  config: RedMetricsConfig,
): void {
  const s = seriesFor(t, key, attrs, config);
  if (key !== OVERFLOW_KEY && s.attributes['otel.metric.overflow'] === true) t.overflowed++;
  s.count++;
  if (error) s.errors++;
  s.sum += seconds;
  if (seconds < s.min) s.min = seconds;
  if (seconds > s.max) s.max = seconds;
  if (s.buckets) s.buckets[bucketOf(config.histogram.buckets, seconds)]!++;
  else expoRecord(s.expo!, seconds, config.histogram.max_size);
}

/** Index of the first bound >= value (OTLP: bucket i holds (bounds[i-1], bounds[i]]). */
function bucketOf(bounds: readonly number[], v: number): number {
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= bounds[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Adds a table (a worker's batch) into running totals, under the same cardinality limit. */
export function mergeTable(into: SeriesTable, from: SeriesTable, config: RedMetricsConfig): void {
  for (const [key, f] of from.series) {
    const s = seriesFor(into, key, () => f.attributes, config);
    if (key !== OVERFLOW_KEY && s.attributes['otel.metric.overflow'] === true) into.overflowed += f.count;
    s.count += f.count;
    s.errors += f.errors;
    s.sum += f.sum;
    s.min = Math.min(s.min, f.min);
    s.max = Math.max(s.max, f.max);
    if (s.buckets && f.buckets) for (let i = 0; i < f.buckets.length; i++) s.buckets[i]! += f.buckets[i]!;
    if (s.expo && f.expo) expoMerge(s.expo, f.expo, config.histogram.max_size);
  }
}
