// Option pieces every queued exporter spreads into its own options(), so `timeout`,
// `sending_queue` and `retry_on_failure` read and default the same everywhere.
import { duration, z } from '../config/schema.ts';
import { sendingQueueSchema } from '../queue/queue-config.ts';
import { retryOnFailureSchema } from '../retry/retry-config.ts';

export const exporterHelperOptions = {
  timeout: duration('5s').describe('Time limit of one send attempt; 0 means none.'),
  sending_queue: sendingQueueSchema,
  retry_on_failure: retryOnFailureSchema,
};

const helperSchema = z.object(exporterHelperOptions);

/** The helper's part of an exporter's parsed config. */
export type ExporterHelperConfig = z.output<typeof helperSchema>;

/** For exporters that expose none of these options (debug): no queue, no retries. */
export const DIRECT_NO_RETRY: ExporterHelperConfig = helperSchema.parse({
  timeout: 0,
  sending_queue: { enabled: false },
  retry_on_failure: { enabled: false },
});
