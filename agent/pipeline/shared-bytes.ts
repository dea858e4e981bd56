// Batches cross to the workers over SharedArrayBuffers rather than transferred ArrayBuffers: the
// bytes are not copied (as with a transfer), yet the main thread still holds them, so a batch whose
// worker died can be sent again, and one receiver can feed several pipelines without a copy.
// Receivers allocate shared buffers directly; this is the fallback for those that can't.
export function sharedBytes(data: Uint8Array): Uint8Array {
  if (data.buffer instanceof SharedArrayBuffer) return data;
  const shared = new Uint8Array(new SharedArrayBuffer(data.byteLength));
  shared.set(data);
  return shared;
}

export function allocShared(size: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(size));
}
