// A series table as OTLP metrics: mesh.request.count and mesh.request.errors (monotonic sums) and
// mesh.request.duration (explicit or exponential histogram, seconds).
import type { Metric, Temporality } from '../../agent/kit/record/record.ts';
import type { RedMetricsConfig } from './config.ts';
import type { SeriesTable } from './series.ts';

export const METRIC_NAMES = {
  count: 'mesh.request.count',
  errors: 'mesh.request.errors',
  duration: 'mesh.request.duration',
} as const;

export function toMetrics(
  t: SeriesTable,
  config: RedMetricsConfig,
  temporality: Temporality,
  startTimeUnixNano: bigint,
  timeUnixNano: bigint,
): Metric[] {
  const all = [...t.series.values()];
  if (all.length === 0) return [];
  const at = { startTimeUnixNano, timeUnixNano };
  const count: Metric = {
    name: METRIC_NAMES.count,
    description: 'HTTP requests seen in the access logs.',
    unit: '{request}',
    type: 'sum',
    temporality,
    monotonic: true,
    points: all.map((s) => ({ attributes: s.attributes, ...at, value: s.count, asInt: true })),
  };
  const errors: Metric = {
    name: METRIC_NAMES.errors,
    description: 'HTTP requests answered with a 5xx or failed upstream (Envoy response flags).',
    unit: '{request}',
    type: 'sum',
    temporality,
    monotonic: true,
    points: all.map((s) => ({ attributes: s.attributes, ...at, value: s.errors, asInt: true })),
  };
  const common = {
    name: METRIC_NAMES.duration,
    description: 'HTTP request duration.',
    unit: 's',
    temporality,
  };
  const stats = (s: (typeof all)[number]) => ({
    attributes: s.attributes,
    ...at,
    count: s.count,
    sum: s.sum,
    ...(s.count > 0 ? { min: s.min, max: s.max } : {}),
  });
  const duration: Metric =
    config.histogram.type === 'explicit'
      ? {
          ...common,
          type: 'histogram',
          points: all.map((s) => ({
            ...stats(s),
            bucketCounts: s.buckets!.slice(),
            explicitBounds: config.histogram.buckets,
          })),
        }
      : {
          ...common,
          type: 'exponential_histogram',
          points: all.map((s) => ({
            ...stats(s),
            scale: s.expo!.scale,
            zeroCount: s.expo!.zeroCount,
            positive: { offset: s.expo!.offset, bucketCounts: s.expo!.counts.slice() },
            negative: { offset: 0, bucketCounts: [] },
          })),
        };
  return [count, errors, duration];
}
