// What a concrete exporter provides: how to send one encoded payload, nothing about queues,
// retries or metrics (the helper owns those, the Collector's exporterhelper split).
import type { Payload } from '../component.ts';
import type { SendResult } from '../retry/send-result.ts';

export type { SendResult };

export interface Transport {
  /** Opens connections or files; optional. */
  start?(): Promise<void>;
  /**
   * One attempt. Expected failures are returned as `retryable`/`permanent`, never thrown. `signal`
   * fires on the per-attempt timeout or the shutdown deadline; the attempt should end promptly.
   * Error strings must not contain header values or payload contents.
   */
  send(payload: Payload, signal: AbortSignal): Promise<SendResult>;
  /**
   * True when send() reads payload.bytes only into copies (compressed, framed, encrypted, decoded)
   * and never hands the bytes themselves to native I/O that could outlive the call.
   */
  readonly releasesPayload?: boolean;
  /** Closes connections or files. Called once, after the last send has ended. */
  shutdown(): Promise<void>;
}
