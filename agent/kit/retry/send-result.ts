// What one attempt to send a payload returned, as a tagged union (the opentelemetry-js way), so a
// transport states its intent and the retry loop never has to guess from an exception.

export type SendResult =
  /** Delivered. `rejected` records were refused by the backend (OTLP partial success) and are not retried. */
  | { kind: 'success'; rejected?: number; message?: string }
  /** Worth another attempt; `retryAfterMs` is the server's own delay (gRPC RetryInfo, HTTP Retry-After). */
  | { kind: 'retryable'; error: string; retryAfterMs?: number }
  /** Never worth retrying (bad request, auth, unknown status). */
  | { kind: 'permanent'; error: string };

export const SENT: SendResult = { kind: 'success' };

export function retryable(error: string, retryAfterMs?: number): SendResult {
  return retryAfterMs === undefined
    ? { kind: 'retryable', error }
    : { kind: 'retryable', error, retryAfterMs };
}

export function permanent(error: string): SendResult {
  return { kind: 'permanent', error };
}
