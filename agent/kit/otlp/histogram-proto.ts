// HistogramDataPoint and ExponentialHistogramDataPoint, in the transformer's field order.
import type { ExponentialHistogramDataPoint, HistogramDataPoint } from '../record/record.ts';
import { writeAttributes } from './any-value-proto.ts';
import { int64Size, writeInt64 } from './int64.ts';
import type { ProtoWriter } from './proto-writer.ts';

export function writeHistogramPoint(w: ProtoWriter, p: HistogramDataPoint): void {
  w.byte(0x11); // start_time_unix_nano = 2
  w.fixed64(p.startTimeUnixNano);
  w.byte(0x19); // time_unix_nano = 3
  w.fixed64(p.timeUnixNano);
  w.byte(0x21); // count = 4, fixed64
  w.fixed64n(p.count);
  if (p.sum !== undefined) {
    w.byte(0x29); // sum = 5
    w.double(p.sum);
  }
  const counts = p.bucketCounts;
  if (counts.length > 0) {
    w.byte(0x32); // bucket_counts = 6, packed fixed64
    w.uint32(counts.length * 8);
    for (let i = 0; i < counts.length; i++) w.fixed64n(counts[i] as number);
  }
  const bounds = p.explicitBounds;
  if (bounds.length > 0) {
    w.byte(0x3a); // explicit_bounds = 7, packed double
    w.uint32(bounds.length * 8);
    for (let i = 0; i < bounds.length; i++) w.double(bounds[i] as number);
  }
  writeAttributes(w, 0x4a, p.attributes); // attributes = 9
  if (p.min !== undefined) {
    w.byte(0x59); // min = 11
    w.double(p.min);
  }
  if (p.max !== undefined) {
    w.byte(0x61); // max = 12
    w.double(p.max);
  }
}

export function writeExponentialHistogramPoint(w: ProtoWriter, p: ExponentialHistogramDataPoint): void {
  writeAttributes(w, 0x0a, p.attributes); // attributes = 1
  w.byte(0x11); // start_time_unix_nano = 2
  w.fixed64(p.startTimeUnixNano);
  w.byte(0x19); // time_unix_nano = 3
  w.fixed64(p.timeUnixNano);
  w.byte(0x21); // count = 4, fixed64
  w.fixed64n(p.count);
  if (p.sum !== undefined) {
    w.byte(0x29); // sum = 5
    w.double(p.sum);
  }
  if (p.scale !== 0) {
    w.byte(0x30); // scale = 6, sint32
    w.sint32(p.scale);
  }
  w.byte(0x39); // zero_count = 7, fixed64
  w.fixed64n(p.zeroCount);
  w.byte(0x42); // positive = 8
  writeBuckets(w, p.positive.offset, p.positive.bucketCounts);
  w.byte(0x4a); // negative = 9
  writeBuckets(w, p.negative.offset, p.negative.bucketCounts);
  if (p.min !== undefined) {
    w.byte(0x61); // min = 12
    w.double(p.min);
  }
  if (p.max !== undefined) {
    w.byte(0x69); // max = 13
    w.double(p.max);
  }
}

/** Buckets { offset = 1 (sint32), bucket_counts = 2 (packed uint64 varints) }, length-prefixed. */
function writeBuckets(w: ProtoWriter, offset: number, counts: readonly number[]): void {
  const mark = w.fork(1);
  if (offset !== 0) {
    w.byte(0x08);
    w.sint32(offset);
  }
  if (counts.length > 0) {
    let size = 0;
    for (let i = 0; i < counts.length; i++) size += int64Size(counts[i] as number);
    w.byte(0x12);
    w.uint32(size);
    for (let i = 0; i < counts.length; i++) writeInt64(w, counts[i] as number);
  }
  w.join(mark, 1);
}
