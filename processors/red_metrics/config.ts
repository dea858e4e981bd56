// The red_metrics processor's options: the schema validates them and generates the docs.
import { duration, options, z } from '../../agent/kit/config/schema.ts';

/** OTel semantic conventions' advice for http.*.request.duration, in seconds. */
export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

export const redMetricsConfig = options({
  temporality: z
    .enum(['cumulative', 'delta'])
    .default('cumulative')
    .describe(
      'cumulative: the main thread merges every batch and exports running totals every `interval` ' +
        '(what Prometheus and Mimir expect); delta: each batch exports its own counts straight from the worker.',
    ),
  interval: duration('15s').describe('How often cumulative totals are exported (cumulative only).'),
  dimensions: z
    .array(z.string().min(1))
    .default([
      'mesh.direction',
      'mesh.source.workload',
      'mesh.source.namespace',
      'mesh.destination.service',
      'mesh.destination.namespace',
    ])
    .describe('Record attributes that label a series, besides http.response.status_class (2xx … 5xx).'),
  histogram: options({
    type: z
      .enum(['explicit', 'exponential'])
      .default('explicit')
      .describe('explicit: fixed bucket bounds; exponential: base-2 buckets that rescale to max_size.'),
    buckets: z
      .array(z.number().positive())
      .default(DEFAULT_BUCKETS)
      .describe('Explicit bucket upper bounds in seconds, ascending.'),
    max_size: z
      .number()
      .int()
      .min(2)
      .max(1024)
      .default(160)
      .describe('Exponential: most buckets per point (the scale drops until the values fit).'),
  })
    .default({ type: 'explicit', buckets: DEFAULT_BUCKETS, max_size: 160 })
    .describe('The request duration histogram.'),
  max_series: z
    .number()
    .int()
    .min(1)
    .default(2000)
    .describe(
      'Cardinality limit: series beyond it are counted in one series labelled otel.metric.overflow=true.',
    ),
});

export type RedMetricsConfig = z.output<typeof redMetricsConfig>;
