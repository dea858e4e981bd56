// anomaly options. Floors and thresholds are per bucket: with a longer bucket, raise the floors.
import { duration, options, z } from '../../agent/kit/config/schema.ts';

export const ANOMALY_KINDS = [
  'burst',
  'drop',
  'access_denied',
  'probing',
  'new_edge',
  'error_ratio',
  'latency',
  'upstream_failure',
  'proxy_error',
] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

const count = (d: number) => z.number().int().nonnegative().default(d);

const floors = options({
  requests: count(50).describe(
    'Requests per bucket below which rate, error and latency series are not judged.',
  ),
  denials: count(20).describe('Denied requests per bucket a source or destination needs to be judged.'),
  not_found: count(20).describe('404 NR route_not_found per bucket from one source that count as probing.'),
  distinct_paths: count(40).describe(
    'Route templates (url.path with ids masked, learned per destination) per bucket that one source had never used, that count as probing.',
  ),
  distinct_destinations: count(15).describe(
    'Distinct destinations per bucket from one source that count as probing.',
  ),
  errors: count(10).describe('5xx responses per bucket a destination needs for an error-ratio anomaly.'),
  upstream_failures: count(10).describe('Upstream failure flags (UH UF URX UO) per bucket for a storm.'),
  proxy_errors: count(20).describe(
    'Lines of one proxy exception signature (WARN and above) per bucket from one workload for a storm.',
  ),
  edge_requests: count(1).describe('Requests a new source→destination edge needs in its first bucket.'),
});

export const anomalyConfig = options({
  bucket: duration('10s').describe('Event-time bucket: the unit of every count, baseline and decision.'),
  allowed_lateness: duration('10s').describe(
    'How long after a bucket ends (in event time: the newest record seen) it stays open for late records.',
  ),
  max_gap: duration('1h').describe(
    'An event-time gap longer than this (a replay of old files, a stopped node) resets the bucket clock instead of judging every empty bucket in it.',
  ),
  detectors: z
    .array(z.enum(ANOMALY_KINDS))
    .default([...ANOMALY_KINDS])
    .describe('The detectors that run.'),
  window: z.number().int().min(5).default(30).describe('Buckets of history for the median/MAD baseline.'),
  min_history: z
    .number()
    .int()
    .min(1)
    .default(10)
    .describe('Buckets a rate, error or latency series needs before it is judged.'),
  ewma_alpha: z
    .number()
    .gt(0)
    .lte(1)
    .default(0.1)
    .describe('EWMA weight of the newest bucket (reported as the smooth baseline).'),
  seasonality: z
    .enum(['none', 'hour_of_week'])
    .default('none')
    .describe(
      'hour_of_week scales rate baselines by what this hour of the week usually sees (needs a week of history).',
    ),
  threshold: z
    .number()
    .positive()
    .default(6)
    .describe('Robust z-score ((x − median) / (1.4826·MAD)) a value must reach.'),
  burst_ratio: z
    .number()
    .min(1)
    .default(2)
    .describe('A burst is also at least this multiple of the baseline.'),
  scale_burst_ratio: z
    .number()
    .min(1)
    .default(4)
    .describe(
      "A burst judged on a coarser scale's window (a series too slow for the bucket) is at least this multiple of that window's baseline.",
    ),
  drop_ratio: z
    .number()
    .gt(0)
    .lt(1)
    .default(0.3)
    .describe('A drop is at most this fraction of the baseline.'),
  error_ratio: z
    .number()
    .gt(0)
    .lt(1)
    .default(0.05)
    .describe('5xx ratio a destination must reach (and exceed its baseline by threshold).'),
  latency_ratio: z
    .number()
    .min(1)
    .default(2)
    .describe('p99 duration must reach this multiple of its baseline.'),
  fire_after: z
    .number()
    .int()
    .min(1)
    .default(2)
    .describe('Consecutive anomalous buckets before an anomaly fires.'),
  resolve_after: z
    .number()
    .int()
    .min(1)
    .default(3)
    .describe('Consecutive normal buckets before it resolves.'),
  cooldown: duration('24h').describe(
    'After a burst or drop episode on a series, a new one is reported within this event time only if it scores higher.',
  ),
  learning_period: duration('1h').describe(
    "Event time during which new source→destination edges (from the first record) and a workload's proxy exception signatures (from its first such line) are learned, not reported.",
  ),
  edge_ttl: duration('168h').describe('An edge unseen this long is forgotten (and is new again).'),
  max_edges: z
    .number()
    .int()
    .positive()
    .default(50_000)
    .describe('Edges remembered (least recently seen evicted first).'),
  max_keys: z
    .number()
    .int()
    .positive()
    .default(10_000)
    .describe('Baseline series kept (least recently updated evicted first).'),
  max_score_points: z
    .number()
    .int()
    .min(0)
    .default(20)
    .describe(
      'Points of the meshtail.anomaly.score gauge written per closed bucket at most (the highest scores; only active series or those at least half way to the threshold).',
    ),
  top_sources: z.number().int().min(1).default(5).describe('Heavy-hitter sources attached to each anomaly.'),
  floors: floors.prefault({}).describe('Minimum volumes per bucket.'),
  snapshot_interval: duration('1m').describe(
    'How often (wall clock) the state is saved under service.data_dir; also at shutdown.',
  ),
});

export type AnomalyConfig = z.output<typeof anomalyConfig>;
