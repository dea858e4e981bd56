// The Collector's `retry_on_failure` block, with the Collector's defaults, so a Collector config
// carries over unchanged.
import { duration, options, z } from '../config/schema.ts';

export const retryOnFailureSchema = options({
  enabled: z.boolean().default(true).describe('Retry payloads that failed with a retryable error.'),
  initial_interval: duration('5s').describe('Wait before the first retry.'),
  randomization_factor: z
    .number()
    .min(0)
    .max(1)
    .default(0.5)
    .describe('Jitter: each wait is drawn from interval × [1 − factor, 1 + factor].'),
  multiplier: z.number().min(1).default(1.5).describe('Each wait is the previous one times this.'),
  max_interval: duration('30s').describe('Upper bound of one wait.'),
  max_elapsed_time: duration('5m').describe(
    'Give up on a payload after this long since its first attempt; 0 retries forever.',
  ),
})
  .prefault({})
  .describe(
    'Retries with exponential backoff. A delay given by the server (RetryInfo, Retry-After) replaces the computed wait.',
  );

export type RetryConfig = z.output<typeof retryOnFailureSchema>;
