// debug options: the Collector debug exporter's verbosity levels, with the same meanings.
import { options, z } from '../../agent/kit/config/schema.ts';

export const debugConfig = options({
  verbosity: z
    .enum(['basic', 'normal', 'detailed'])
    .default('basic')
    .describe(
      'basic: one summary line per payload (counts); normal: one line per record, span or data point; detailed: every field.',
    ),
});

export type DebugConfig = z.output<typeof debugConfig>;
