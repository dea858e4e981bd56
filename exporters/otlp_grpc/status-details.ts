// The server's requested retry delay, from the `grpc-status-details-bin` trailer:
// google.rpc.Status{code=1, message=2, details=3 repeated Any{type_url=1, value=2}}, where one
// detail may be google.rpc.RetryInfo{retry_delay=1 google.protobuf.Duration{seconds=1, nanos=2}}.
import { readProtoFields } from '../../agent/kit/otlp/response.ts';

const RETRY_INFO_TYPE = 'type.googleapis.com/google.rpc.RetryInfo';

/** The RetryInfo delay in milliseconds, or undefined if the details carry none (or are malformed). */
export function retryDelayFromStatusDetails(details: Uint8Array): number | undefined {
  try {
    for (const detail of readProtoFields(details)) {
      if (detail.field !== 3 || !detail.bytes) continue;
      const any = readProtoFields(detail.bytes);
      const typeUrl = any.find((f) => f.field === 1 && f.bytes)?.bytes;
      if (!typeUrl || new TextDecoder().decode(typeUrl) !== RETRY_INFO_TYPE) continue;
      const value = any.find((f) => f.field === 2 && f.bytes)?.bytes ?? new Uint8Array();
      const duration =
        readProtoFields(value).find((f) => f.field === 1 && f.bytes)?.bytes ?? new Uint8Array();
      let ms = 0;
      for (const f of readProtoFields(duration)) {
        if (f.field === 1 && f.varint !== undefined) ms += Number(BigInt.asIntN(64, f.varint)) * 1000;
        if (f.field === 2 && f.varint !== undefined) ms += Number(BigInt.asIntN(32, f.varint)) / 1e6;
      }
      return Math.max(0, Math.round(ms));
    }
  } catch {
    return undefined;
  }
  return undefined;
}
