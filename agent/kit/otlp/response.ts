// Reading an OTLP Export*ServiceResponse, shared by otlp_grpc and otlp_http. The only field that
// matters is partial_success (1): { rejected_<log_records|spans|data_points> int64 = 1,
// error_message string = 2 } — the same numbers for all three signals. Rejected records are
// counted failed and not retried (OTLP spec: retrying them would be rejected again).
// A tiny protobuf field reader lives here too; otlp_grpc uses it for google.rpc.Status details.
import type { SendResult } from '../retry/send-result.ts';

export interface PartialSuccess {
  rejected: number;
  message: string;
}

export interface ProtoField {
  field: number;
  /** Wire type 0 (varint). */
  varint?: bigint;
  /** Wire type 2 (length-delimited): a view into the input. */
  bytes?: Uint8Array;
}

/** The top-level fields of a protobuf message. Throws on malformed input. */
export function readProtoFields(buf: Uint8Array): ProtoField[] {
  const out: ProtoField[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (pos >= buf.length) throw new Error('truncated varint');
      const b = buf[pos++]!;
      value |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return value;
    }
    throw new Error('varint too long');
  };
  while (pos < buf.length) {
    const key = varint();
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) out.push({ field, varint: varint() });
    else if (wire === 2) {
      const len = Number(varint());
      if (pos + len > buf.length) throw new Error('truncated field');
      out.push({ field, bytes: buf.subarray(pos, pos + len) });
      pos += len;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
  if (pos > buf.length) throw new Error('truncated fixed field');
  return out;
}

/** partial_success from a protobuf response body; undefined when absent or empty. */
export function partialSuccessFromProto(body: Uint8Array): PartialSuccess | undefined {
  const ps = readProtoFields(body).find((f) => f.field === 1 && f.bytes)?.bytes;
  if (!ps) return undefined;
  let rejected = 0;
  let message = '';
  for (const f of readProtoFields(ps)) {
    if (f.field === 1 && f.varint !== undefined) rejected = Number(BigInt.asIntN(64, f.varint));
    if (f.field === 2 && f.bytes) message = new TextDecoder().decode(f.bytes);
  }
  return rejected === 0 && message === '' ? undefined : { rejected, message };
}

const REJECTED_KEYS = [
  'rejectedLogRecords',
  'rejectedSpans',
  'rejectedDataPoints',
  'rejected_log_records',
  'rejected_spans',
  'rejected_data_points',
];

/** partial_success from an OTLP/JSON response body (lowerCamelCase, int64 as string or number). */
export function partialSuccessFromJson(body: string): PartialSuccess | undefined {
  if (body.trim() === '') return undefined;
  const parsed = JSON.parse(body) as Record<string, unknown>;
  const ps = (parsed.partialSuccess ?? parsed.partial_success) as Record<string, unknown> | undefined;
  if (!ps || typeof ps !== 'object') return undefined;
  let rejected = 0;
  for (const key of REJECTED_KEYS) if (ps[key] !== undefined) rejected = Number(ps[key]);
  const message = String(ps.errorMessage ?? ps.error_message ?? '');
  if (!Number.isFinite(rejected)) rejected = 0;
  return rejected === 0 && message === '' ? undefined : { rejected, message };
}

/** The send result for a successful response body in either encoding. */
export function resultFromResponse(body: Uint8Array, encoding: 'proto' | 'json'): SendResult {
  let ps: PartialSuccess | undefined;
  try {
    ps =
      encoding === 'json'
        ? partialSuccessFromJson(new TextDecoder().decode(body))
        : partialSuccessFromProto(body);
  } catch {
    // The data was accepted; an unreadable response body must not turn that into a failure.
    return { kind: 'success' };
  }
  if (!ps) return { kind: 'success' };
  return ps.message
    ? { kind: 'success', rejected: ps.rejected, message: ps.message }
    : { kind: 'success', rejected: ps.rejected };
}
