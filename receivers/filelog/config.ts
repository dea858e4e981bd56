// The filelog receiver's options: type, default, unit and description of each, in one schema;
// docs/configuration.md is generated from it (npm run docs).
import { duration, options, size, z } from '../../agent/kit/config/schema.ts';
import { retentionSchema } from './retention/retention-config.ts';

export const filelogConfig = options({
  include: z
    .array(z.string())
    .min(1)
    .describe(
      'Glob patterns of files to tail, e.g. /var/log/pods/*/istio-proxy/*.log. Symlinks are followed; a file reached by several paths is read once.',
    ),
  exclude: z.array(z.string()).default([]).describe('Glob patterns of files never to tail.'),
  exclude_older_than: duration('0s').describe(
    'Files whose last modification is older than this are not tailed; 0 turns the filter off.',
  ),
  start_at: z
    .enum(['beginning', 'end'])
    .default('end')
    .describe(
      'Where to start a file found at the first start that has no checkpoint. Files that appear later are always read from their beginning.',
    ),
  poll_interval: duration('200ms').describe(
    'How often files are listed and checked for new data. With watch_changes, a poll stats only the files a change notification named and the files whose directory is not watched.',
  ),
  watch_changes: z
    .boolean()
    .default(true)
    .describe(
      "Use the kernel's change notifications (inotify) on the directories holding the files: a file is stat'ed when a notification names it, and every rescan_interval. false: every file is stat'ed on every poll.",
    ),
  rescan_interval: duration('10s').describe(
    "With watch_changes, how often every path and directory is stat'ed anyway, for file systems that send no notifications; an event-loop stall that may have overflowed the inotify queue brings one at once. On such a file system, keep it below how long a rotated file stays under a matched name.",
  ),
  busy_poll_interval: duration('2s').describe(
    'With watch_changes, how often the files of a busy directory (appended in each of 3 seconds in a row, then polled instead of watched until it stays 10 s without growth) are read at their offsets; every second for a minute after a file in it was created, renamed or deleted. A line there waits up to this long before it is read. Values below 1s act as 1s.',
  ),
  format: z
    .enum(['auto', 'cri', 'docker', 'raw'])
    .default('auto')
    .describe(
      'Container runtime framing: CRI (containerd, CRI-O), docker json-file, raw lines, or detected per line.',
    ),
  fingerprint_size: size('1KiB').describe(
    'Bytes at the start of a file that, with the device and inode, identify it across rotations and restarts.',
  ),
  read_buffer_size: size('256KiB').describe(
    'Bytes read per fs.read; one read becomes one batch to the workers.',
  ),
  flush_interval: duration('1s').describe(
    'How long small reads of many files may wait to be joined into one batch before it goes; a full batch goes at once. A line of a quiet file reaches the pipelines within poll_interval + flush_interval.',
  ),
  max_read_per_turn: size('1MiB').describe(
    'Bytes one file may read before every other file with new data gets its turn, so a hot file cannot starve the others.',
  ),
  max_line_size: size('1MiB').describe(
    'A longer line is cut at this size and marked `meshtail.log.truncated`; the rest of it is skipped.',
  ),
  max_log_size: size('1MiB').describe(
    'Cap on one record reassembled from CRI partial (P) lines or docker continuation pieces; a longer run is emitted in pieces marked `meshtail.log.truncated`.',
  ),
  force_flush_period: duration('5s').describe(
    'How long an unfinished CRI/docker partial run at the end of a live file waits for its final piece before it is emitted as is.',
  ),
  max_concurrent_files: z
    .number()
    .int()
    .min(1)
    .default(1024)
    .describe('Most file handles open at once; idle files beyond it are closed and reopened when they grow.'),
  rotate_wait: duration('60s').describe(
    'How long a rotated or deleted file is still read to its end before it is let go; a file let go unread is counted in `meshtail_receiver_files_given_up_total` and logged.',
  ),
  on_truncate: z
    .enum(['read_whole', 'read_new', 'ignore'])
    .default('read_whole')
    .describe(
      'A file that shrank below its offset or whose first bytes changed: read it again from the start, read only what is written from now on, or keep the old offset.',
    ),
  checkpoint_interval: duration('1s').describe(
    'How often acknowledged offsets are written to service.data_dir (and once more at shutdown).',
  ),
  checkpoint_retention: duration('1h').describe(
    'How long the checkpoint keeps the offset of a file that is gone, in case it comes back.',
  ),
  retention: retentionSchema,
});

export type FilelogConfig = z.output<typeof filelogConfig>;
