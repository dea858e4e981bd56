// The `retention` block of the filelog receiver: rotation of log files meshtail manages itself
// (a VM where Envoy writes to a file), by rename + reopen, with rotated files deleted only once
// every byte of them is delivered (docs/filelog.md, "Retention").
import { duration, options, size, z } from '../../../agent/kit/config/schema.ts';

const MIN_ROTATE_SIZE = 1024;

export const reopenSchema = options({
  pid_file: z
    .string()
    .min(1)
    .optional()
    .describe(
      "File holding the writer's process id; `signal` is sent to that process. One of pid_file or url.",
    ),
  signal: z
    .enum(['SIGUSR1', 'SIGUSR2', 'SIGHUP'])
    .default('SIGUSR1')
    .describe('With pid_file: the signal that makes the writer reopen its log files (Envoy: SIGUSR1).'),
  url: z
    .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })
    .optional()
    .describe(
      "URL that makes the writer reopen its log files when POSTed to, e.g. Envoy's admin `http://127.0.0.1:15000/reopen_logs`. One of pid_file or url.",
    ),
  timeout: duration('30s').describe(
    'How long the writer has to reopen (the file appears again at its path) before it is asked again; each wait that runs out is counted and logged.',
  ),
})
  .superRefine((r, ctx) => {
    if ((r.pid_file === undefined) === (r.url === undefined))
      ctx.addIssue({ code: 'custom', message: 'expected exactly one of pid_file or url' });
  })
  .describe('How the writer is asked to reopen its files after a rotation. Required.');

export const retentionSchema = options({
  rotate_size: size('100MiB').describe(
    'A tailed file at least this big is renamed to `<path>.<UTC time>` and the writer asked to reopen `<path>`.',
  ),
  max_rotated: z
    .number()
    .int()
    .min(1)
    .default(5)
    .describe(
      'Rotated files kept per path while they are not yet fully delivered. At this many, rotation waits (the live file grows past rotate_size) and is counted in `meshtail_receiver_retention_deferred_rotations_total`; nothing unshipped is deleted.',
    ),
  reopen: reopenSchema,
})
  .superRefine((r, ctx) => {
    if (r.rotate_size < MIN_ROTATE_SIZE)
      ctx.addIssue({ code: 'custom', path: ['rotate_size'], message: 'expected at least 1KiB' });
  })
  .optional()
  .describe(
    "Rotation and deletion of files meshtail manages itself (a VM where Envoy writes to a file; never the kubelet's /var/log/pods): every tailed file that reaches rotate_size is renamed, the writer reopens its path, the rotated file is read to its end and deleted once all of it was delivered. Absent: files are never renamed or deleted.",
  );

export type RetentionConfig = NonNullable<z.output<typeof retentionSchema>>;
