// The Collector's `sending_queue` block. queue_size counts payloads (requests), as in the Collector.
// `storage: disk` puts a persistent, encrypted write-ahead queue under service.data_dir in front of
// the consumers (agent/queue/disk-queue/, docs/delivery.md).
import { duration, options, size, z } from '../config/schema.ts';

export const diskEncryptionSchema = z
  .union([
    z.literal('none'),
    options({
      keyring: z
        .string()
        .min(1)
        .describe(
          'Keyring directory (docs/encryption.md): new segments use the active key, older keys read old ones.',
        ),
    }),
  ])
  .optional()
  .describe(
    'How queue segments are encrypted at rest: `{ keyring: DIR }` (AES-256-GCM) or `none`. Required with storage: disk: ' +
      'the queue refuses to start without a keyring unless `none` is explicit.',
  );

export const sendingQueueSchema = options({
  enabled: z.boolean().default(true).describe('Queue payloads and send them from background consumers.'),
  num_consumers: z.number().int().positive().default(10).describe('Payloads sent concurrently.'),
  queue_size: z
    .number()
    .int()
    .positive()
    .default(1000)
    .describe(
      'Payloads held in memory while waiting to be sent (storage: memory). When full, the pipeline waits (backpressure); nothing is dropped.',
    ),
  drain_timeout: duration('10s').describe(
    'On shutdown: how long to keep sending what is queued. In memory, what is left after it is counted dropped (reason shutdown); on disk it stays queued.',
  ),
  storage: z
    .enum(['memory', 'disk'])
    .default('memory')
    .describe(
      'memory, or disk: a write-ahead queue under service.data_dir/queues/<exporter id>/ that survives restarts.',
    ),
  max_size: size('1GiB').describe(
    'storage: disk. Bytes of queue segments on disk; what happens to a payload that does not fit is `when_full`.',
  ),
  when_full: z
    .enum(['block', 'drop_newest'])
    .default('block')
    .describe(
      'storage: disk. A full queue: `block` holds the pipeline until delivered segments free room, so receivers pause and the log files keep the lines (as the memory queue does); `drop_newest` drops the payload (reason queue_full, counted and logged) and keeps reading.',
    ),
  max_age: duration('24h').describe(
    'storage: disk. Payloads queued longer than this are dropped (reason expired) and their segments deleted; 0 keeps them.',
  ),
  fsync: z
    .enum(['always', 'interval', 'never'])
    .default('interval')
    .describe(
      'storage: disk. When segments and the ack file are fsynced: on every payload, every fsync_interval, or never (the OS decides). See docs/delivery.md for the loss window of each.',
    ),
  fsync_interval: duration('1s').describe('storage: disk, fsync: interval. Time between fsyncs.'),
  segment_size: size('8MiB').describe(
    'storage: disk. A segment file is closed and a new one started past this size.',
  ),
  encryption: diskEncryptionSchema,
})
  .prefault({})
  .superRefine((q, ctx) => {
    if (q.storage === 'disk' && q.encryption === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['encryption'],
        message:
          'storage: disk needs encryption: { keyring: DIR }, or encryption: none to store payloads in clear',
      });
  })
  .describe('The sending queue between the pipeline and the backend: in memory, or persistent on disk.');

export type SendingQueueConfig = z.output<typeof sendingQueueSchema>;
export type DiskEncryptionConfig = z.output<typeof diskEncryptionSchema>;
