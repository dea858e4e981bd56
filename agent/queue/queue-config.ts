// The Collector's `sending_queue` block. queue_size counts payloads (requests), as in the Collector.
// `storage: disk` (a persistent queue under service.data_dir) is planned and not accepted yet.
import { duration, options, z } from '../config/schema.ts';

export const sendingQueueSchema = options({
  enabled: z.boolean().default(true).describe('Queue payloads and send them from background consumers.'),
  num_consumers: z.number().int().positive().default(10).describe('Payloads sent concurrently.'),
  queue_size: z
    .number()
    .int()
    .positive()
    .default(1000)
    .describe(
      'Payloads held while waiting to be sent. When full, the pipeline waits (backpressure); nothing is dropped.',
    ),
  drain_timeout: duration('10s').describe(
    'On shutdown: how long to keep sending what is queued; what is left after it is counted dropped (reason shutdown).',
  ),
})
  .prefault({})
  .describe('The in-memory sending queue between the pipeline and the backend.');

export type SendingQueueConfig = z.output<typeof sendingQueueSchema>;
