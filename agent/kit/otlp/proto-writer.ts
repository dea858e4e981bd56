// A minimal protobuf writer over one growable buffer that is reused across batches (one per worker
// thread). Sub-messages are written in place: `fork` reserves a guess of the length prefix, `join`
// writes the real varint and moves the body only when the guess was wrong. Varints stay minimal, so
// the bytes equal those of any conforming encoder that writes the same fields in the same order.
import { GrowableBuffer } from './growable-buffer.ts';

/** Bytes of the varint encoding of a non-negative integer below 2^35. */
export function varintSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}

// ASCII strings up to this many chars are copied by a JS loop with a one-byte length prefix; the
// loop bails out to the native UTF-8 writer at the first non-ASCII char and for longer strings.
const SHORT_STRING = 64;

/** Writes the varint of a non-negative integer below 2^32 at `p`; returns the position after it. */
function putVarint(buf: Buffer, p: number, n: number): number {
  let v = n >>> 0;
  while (v > 0x7f) {
    buf[p++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[p++] = v;
  return p;
}

export class ProtoWriter extends GrowableBuffer {
  view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);

  protected override grown(): void {
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** One byte: a tag of a field below 16, or a small value. */
  byte(b: number): void {
    if (this.pos >= this.buf.length) this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** A varint of a non-negative integer below 2^32. */
  uint32(n: number): void {
    this.ensure(5);
    this.pos = putVarint(this.buf, this.pos, n);
  }

  sint32(n: number): void {
    this.uint32(((n << 1) ^ (n >> 31)) >>> 0);
  }

  fixed32(n: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, n >>> 0, true);
    this.pos += 4;
  }

  /** fixed64 from a bigint (timestamps in ns). */
  fixed64(n: bigint): void {
    this.ensure(8);
    this.view.setBigUint64(this.pos, n, true);
    this.pos += 8;
  }

  /** fixed64/sfixed64 from an integer number (counts, as_int). */
  fixed64n(n: number): void {
    this.ensure(8);
    const hi = Math.floor(n / 4294967296);
    this.view.setUint32(this.pos, n >>> 0, true);
    this.view.setUint32(this.pos + 4, hi >>> 0, true);
    this.pos += 8;
  }

  double(n: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, n, true);
    this.pos += 8;
  }

  /** Bytes already encoded (a cached tag + field), copied as they are. */
  raw(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  bytes(b: Uint8Array): void {
    this.uint32(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  string(s: string): void {
    const n = s.length;
    if (n <= SHORT_STRING) {
      this.ensure(n + 1);
      const buf = this.buf;
      const start = this.pos;
      let p = start + 1;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c > 0x7f) {
          this.longString(s);
          return;
        }
        buf[p++] = c;
      }
      buf[start] = n;
      this.pos = p;
      return;
    }
    this.longString(s);
  }

  private longString(s: string): void {
    // Guess the prefix from the UTF-16 length (exact for ASCII), write, then fix the prefix.
    const guess = varintSize(s.length);
    this.ensure(guess + s.length * 3);
    const start = this.pos;
    const written = this.buf.write(s, start + guess);
    this.pos = start + guess + written;
    this.join(start, guess);
  }

  /**
   * A whole KeyValue `{key, value: {string_value: s}}` under the one-byte `tag`, lengths computed
   * first (exact when s is ASCII), so no reservation is joined or moved. `key` is the key field's
   * bytes. False, with nothing written, when s is not ASCII: the caller takes the general path.
   */
  keyValueString(tag: number, key: Uint8Array, s: string): boolean {
    const n = s.length;
    const any = 1 + varintSize(n) + n;
    const value = 1 + varintSize(any) + any;
    this.ensure(6 + key.length + value + 2 * n);
    const start = this.pos;
    this.#keyValueHead(tag, key, value, any);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = 0x0a; // AnyValue.string_value
    p = putVarint(buf, p, n);
    if (n <= SHORT_STRING) {
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c > 0x7f) {
          this.pos = start;
          return false;
        }
        buf[p++] = c;
      }
    } else {
      // UTF-8 is as long as UTF-16 only when every char is ASCII (room for 3n was ensured).
      if (buf.write(s, p) !== n) {
        this.pos = start;
        return false;
      }
      p += n;
    }
    this.pos = p;
    return true;
  }

  /** A whole KeyValue whose value is an int_value of 0..2^32-1 (`n`) or a bool_value (`bool`). */
  keyValueVarint(tag: number, key: Uint8Array, anyTag: number, n: number): void {
    const any = 1 + varintSize(n);
    this.ensure(16 + key.length);
    this.#keyValueHead(tag, key, 2 + any, any);
    this.buf[this.pos++] = anyTag;
    this.pos = putVarint(this.buf, this.pos, n);
  }

  /** A whole KeyValue whose value is a double_value. */
  keyValueDouble(tag: number, key: Uint8Array, n: number): void {
    this.ensure(22 + key.length);
    this.#keyValueHead(tag, key, 11, 9);
    this.buf[this.pos++] = 0x21; // AnyValue.double_value
    this.view.setFloat64(this.pos, n, true);
    this.pos += 8;
  }

  /** tag, KeyValue length, key field, value field's tag and length (room ensured by the caller). */
  #keyValueHead(tag: number, key: Uint8Array, value: number, any: number): void {
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = tag;
    p = putVarint(buf, p, key.length + value);
    buf.set(key, p);
    p += key.length;
    buf[p++] = 0x12; // KeyValue.value
    this.pos = putVarint(buf, p, any);
  }

  /** Reserves `guess` bytes for the length of a sub-message; returns the mark for `join`. */
  fork(guess: number): number {
    this.ensure(guess);
    const mark = this.pos;
    this.pos += guess;
    return mark;
  }

  /** Writes the length of everything after the reservation at `mark`, moving the body if needed. */
  join(mark: number, guess: number): void {
    const len = this.pos - mark - guess;
    const size = varintSize(len);
    if (size !== guess) {
      this.ensure(size - guess);
      this.buf.copyWithin(mark + size, mark + guess, this.pos);
      this.pos += size - guess;
    }
    const buf = this.buf;
    let p = mark;
    let v = len;
    while (v > 0x7f) {
      buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[p] = v;
  }
}
