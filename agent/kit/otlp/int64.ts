// int64 varints (AnyValue.int_value, exponential-histogram bucket counts) from a number or a
// bigint. Negative values take ten bytes, two's complement, as protobuf's int64 requires.
import type { ProtoWriter } from './proto-writer.ts';

/** An int64 varint from an integer number (safe or not; the caller has checked the int64 range). */
export function writeInt64(w: ProtoWriter, n: number): void {
  if (n >= 0 && n <= 0xffffffff) {
    w.uint32(n);
    return;
  }
  let lo: number;
  let hi: number;
  if (n >= 0) {
    lo = n >>> 0;
    hi = (n / 4294967296) >>> 0;
  } else {
    const abs = -n;
    lo = ~(abs >>> 0) >>> 0;
    hi = ~((abs / 4294967296) >>> 0) >>> 0;
    lo = (lo + 1) >>> 0;
    if (lo === 0) hi = (hi + 1) >>> 0;
  }
  w.ensure(10);
  const buf = w.buf;
  let p = w.pos;
  while (hi > 0 || lo > 0x7f) {
    buf[p++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  buf[p++] = lo;
  w.pos = p;
}

/** An int64 varint from a bigint (wrapped to 64 bits). */
export function writeBigInt64(w: ProtoWriter, n: bigint): void {
  let v = BigInt.asUintN(64, n);
  w.ensure(10);
  const buf = w.buf;
  let p = w.pos;
  while (v > 0x7fn) {
    buf[p++] = Number(v & 0x7fn) | 0x80;
    v >>= 7n;
  }
  buf[p++] = Number(v);
  w.pos = p;
}

/** Bytes of the int64 varint of a non-negative integer number. */
export function int64Size(n: number): number {
  let size = 1;
  for (let v = n; v >= 128; v = Math.floor(v / 128)) size++;
  return size;
}
