// The one growable byte buffer both OTLP writers write into, reused across batches (one per
// encoding and worker thread): it doubles when a batch outgrows it and hands out copies.
export class GrowableBuffer {
  buf: Buffer;
  pos = 0;

  constructor(initialSize = 1 << 20) {
    this.buf = Buffer.allocUnsafeSlow(initialSize);
  }

  reset(): void {
    this.pos = 0;
  }

  /** The written bytes, copied into an unpooled, transferable buffer (not zero-filled first). */
  finish(): Uint8Array {
    const out = Buffer.allocUnsafeSlow(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    return new Uint8Array(out.buffer, 0, this.pos);
  }

  /** Room for `extra` more bytes. */
  ensure(extra: number): void {
    const needed = this.pos + extra;
    if (needed <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const next = Buffer.allocUnsafeSlow(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
    this.grown();
  }

  /** Called after `buf` was replaced, for views over it. */
  protected grown(): void {}
}
