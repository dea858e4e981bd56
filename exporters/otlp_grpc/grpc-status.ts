// Which gRPC failures are worth retrying, per the OTLP specification ("OTLP/gRPC Response"):
// retryable CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS, and
// RESOURCE_EXHAUSTED only when the server sent RetryInfo (it promises recovery); all else permanent.
import { type ServiceError, status } from '@grpc/grpc-js';
import { permanent, retryable, type SendResult } from '../../agent/kit/retry/send-result.ts';
import { retryDelayFromStatusDetails } from './status-details.ts';

const RETRYABLE = new Set<number>([
  status.CANCELLED,
  status.DEADLINE_EXCEEDED,
  status.ABORTED,
  status.OUT_OF_RANGE,
  status.UNAVAILABLE,
  status.DATA_LOSS,
]);

export function resultFromGrpcError(err: ServiceError): SendResult {
  const code = err.code ?? status.UNKNOWN;
  const text = `${status[code] ?? code}: ${err.details ?? err.message}`;
  const details = err.metadata?.get('grpc-status-details-bin')[0];
  const delay = details instanceof Uint8Array ? retryDelayFromStatusDetails(details) : undefined;
  if (RETRYABLE.has(code)) return retryable(text, delay);
  if (code === status.RESOURCE_EXHAUSTED && delay !== undefined) return retryable(text, delay);
  return permanent(text);
}
