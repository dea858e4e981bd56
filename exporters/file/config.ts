// file options. Rotation comes later; today the file grows until something else rotates it.
import { options, z } from '../../agent/config/schema.ts';
import { exporterHelperOptions } from '../../agent/exporter-helper/exporter-options.ts';

export const fileConfig = options({
  path: z
    .string()
    .min(1)
    .describe('File to append to, one OTLP/JSON request per line. Parent directories are created. Required.'),
  ...exporterHelperOptions,
});

export type FileConfig = z.output<typeof fileConfig>;
