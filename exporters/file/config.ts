// file options: the output path, rotation with retention of the rotated files, and optional
// encryption of every line with a keyring (docs/delivery.md).
import { duration, options, size, z } from '../../agent/kit/config/schema.ts';
import { exporterHelperOptions } from '../../agent/kit/exporter-helper/exporter-options.ts';

export const fileRotationSchema = options({
  max_size: size('100MiB').describe('Rotate when the file would grow past this size; 0: no size limit.'),
  max_age: duration('0s').describe(
    'Rotate when the file has been written to for this long; 0: no time limit.',
  ),
  max_backups: z
    .number()
    .int()
    .nonnegative()
    .default(10)
    .describe('Rotated files kept; older ones are deleted. 0 keeps all.'),
  max_backup_age: duration('0s').describe('Rotated files older than this are deleted; 0 keeps them.'),
  compress: z
    .enum(['none', 'gzip'])
    .default('none')
    .describe('gzip: rotated files are compressed to `<name>.gz` in the background.'),
})
  .optional()
  .describe(
    'Rotation: the file is renamed to `<path>.<UTC time>` and a new one started. Without this block the file grows until something else rotates it.',
  );

export const fileConfig = options({
  path: z
    .string()
    .min(1)
    .describe('File to append to, one OTLP/JSON request per line. Parent directories are created. Required.'),
  rotation: fileRotationSchema,
  encryption: options({
    keyring: z
      .string()
      .min(1)
      .describe(
        "Keyring directory (docs/encryption.md): a symmetric keyring seals with its active key; a per-tenant one seals each line to its tenant's active recipient (or the default recipient). Read again when a file starts and every 5s when the directory changed.",
      ),
  })
    .optional()
    .describe(
      'Seal every line with AES-256-GCM: each line becomes `enc:v2:<kid>:<chain>:<seq>:<base64>` (per-tenant keyring: `enc:v3:…`, under a data key wrapped for the tenant), chained so decrypt detects deleted, duplicated or reordered lines (docs/delivery.md). Absent: lines in clear.',
    ),
  ...exporterHelperOptions,
});

export type FileConfig = z.output<typeof fileConfig>;
export type FileRotationConfig = NonNullable<FileConfig['rotation']>;
