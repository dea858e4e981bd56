import { duration, options, z } from '../../agent/kit/config/schema.ts';

// The Collector batch processor's options, accepted with their meaning in meshtail (README.md):
// batches form at the read, so these bound what meshtail already does rather than re-batch.
export const batchConfig = options({
  send_batch_size: z
    .number()
    .int()
    .nonnegative()
    .default(8192)
    .describe(
      'The Collector sends a batch once it holds this many records. meshtail sends one request per ' +
        'read (up to 256 KiB of lines, small reads joined), which is already a batch of thousands: accepted, no effect.',
    ),
  send_batch_max_size: z
    .number()
    .int()
    .nonnegative()
    .default(0)
    .describe(
      'Upper bound on records per request (0: none). meshtail requests are bounded by the read size ' +
        '(256 KiB of lines); accepted, no further split.',
    ),
  timeout: duration('200ms').describe(
    'The Collector sends a partial batch after this long. meshtail never holds records back to fill a ' +
      'batch (a read is sent when it is read), so latency is already below it: accepted, no effect.',
  ),
  metadata_keys: z
    .array(z.string())
    .default([])
    .describe('Accepted for compatibility; meshtail already splits requests per tenant (rbac).'),
  metadata_cardinality_limit: z
    .number()
    .int()
    .nonnegative()
    .default(1000)
    .describe('Accepted for compatibility; no effect.'),
});

export type BatchConfig = z.output<typeof batchConfig>;
