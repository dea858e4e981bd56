import { duration, options, size, z } from '../../agent/config/schema.ts';

export const filelogConfig = options({
  include: z
    .array(z.string())
    .min(1)
    .describe(
      'Glob patterns of files to tail, e.g. /var/log/pods/*/istio-proxy/*.log. Symlinks are followed.',
    ),
  exclude: z.array(z.string()).default([]).describe('Glob patterns of files never to tail.'),
  start_at: z
    .enum(['beginning', 'end'])
    .default('end')
    .describe(
      'Where to start a file found at the first start that has no checkpoint. Files that appear later are always read from their beginning.',
    ),
  poll_interval: duration('200ms').describe('How often files are listed and checked for new data.'),
  format: z
    .enum(['auto', 'cri', 'docker', 'raw'])
    .default('auto')
    .describe(
      'Container runtime framing: CRI (containerd, CRI-O), docker json-file, raw lines, or detected per line.',
    ),
  read_buffer_size: size('256KiB').describe(
    'Bytes read per fs.read; one read becomes one batch to the workers.',
  ),
  max_line_size: size('1MiB').describe('A longer line is cut at this size.'),
  checkpoint_interval: duration('1s').describe(
    'How often acknowledged offsets are written to service.data_dir.',
  ),
});

export type FilelogConfig = z.output<typeof filelogConfig>;
