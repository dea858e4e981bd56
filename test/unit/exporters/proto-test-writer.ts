// Just enough protobuf writing for tests to build server responses: google.rpc.Status with
// RetryInfo, and Export*ServiceResponse with partial_success.

function varint(n: bigint): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(64, n);
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

export function varintField(field: number, value: number | bigint): Buffer {
  return Buffer.from([...varint(BigInt(field << 3)), ...varint(BigInt(value))]);
}

export function bytesField(field: number, value: Uint8Array | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value) : Buffer.from(value);
  return Buffer.concat([
    Buffer.from([...varint(BigInt((field << 3) | 2)), ...varint(BigInt(bytes.length))]),
    bytes,
  ]);
}

/** google.rpc.Status, optionally with a RetryInfo detail of `delayMs`. */
export function rpcStatus(code: number, message: string, delayMs?: number): Buffer {
  const parts = [varintField(1, code), bytesField(2, message)];
  if (delayMs !== undefined) {
    const duration = Buffer.concat([
      varintField(1, Math.floor(delayMs / 1000)),
      varintField(2, (delayMs % 1000) * 1e6),
    ]);
    const retryInfo = bytesField(1, duration);
    const any = Buffer.concat([
      bytesField(1, 'type.googleapis.com/google.rpc.RetryInfo'),
      bytesField(2, retryInfo),
    ]);
    parts.push(bytesField(3, any));
  }
  return Buffer.concat(parts);
}

/** Export*ServiceResponse{partial_success{rejected=1, error_message=2}}. */
export function partialSuccessResponse(rejected: number, message: string): Buffer {
  return bytesField(1, Buffer.concat([varintField(1, rejected), bytesField(2, message)]));
}
