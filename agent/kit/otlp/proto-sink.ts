// The protobuf side of OtlpSink: tags as constant bytes, one pass, one reused buffer (ProtoWriter).
import type { AttributeValue } from '../record/record.ts';
import type { Field } from './field.ts';
import { int64Size, writeBigInt64, writeInt64 } from './int64.ts';
import type { OtlpSink } from './otlp-sink.ts';
import { ProtoWriter } from './proto-writer.ts';
import { ANY_VALUE } from './shape.ts';

// Attribute keys are the same few dozen strings in every record: each is encoded once (tag, length,
// UTF-8) and copied from then on. Bounded, since kvlist keys may come from the data.
const MAX_CACHED_KEYS = 2048;
const MAX_CACHED_KEY_LENGTH = 120;
// AnyValue's int_value (field 3) and bool_value (field 2) tags, both varints.
const INT_VALUE = ANY_VALUE.intValue.tag;
const BOOL_VALUE = ANY_VALUE.boolValue.tag;

export class ProtoSink implements OtlpSink {
  readonly #writer = new ProtoWriter();
  readonly #keys = new Map<string, Uint8Array>();

  reset(): void {
    this.#writer.reset();
  }
  finish(): Uint8Array {
    return this.#writer.finish();
  }
  beginRequest(): void {}
  endRequest(): void {}

  #tag(f: Field): void {
    const t = f.tag;
    this.#writer.byte(t & 0xff);
    if (t > 0xff) this.#writer.byte(t >> 8);
  }

  open(f: Field, guess: number): number {
    this.#tag(f);
    return this.#writer.fork(guess);
  }
  openList(_f: Field): void {}
  item(f: Field, guess: number): number {
    this.#tag(f);
    return this.#writer.fork(guess);
  }
  close(mark: number, guess: number): void {
    this.#writer.join(mark, guess);
  }
  closeList(): void {}

  string(f: Field, v: string): void {
    this.#tag(f);
    this.#writer.string(v);
  }
  // A key seen before with a string, a uint32-range integer, a double or a bool (nearly every
  // attribute of a parsed record) is written in one pass with exact lengths: no fork/join per
  // KeyValue and AnyValue (bench/parsed-encode.bench.ts, bench/RESULTS.md "OTLP encoder").
  keyValue(f: Field, key: string, v: AttributeValue): boolean {
    const cached = this.#keys.get(key);
    const tag = f.tag;
    if (cached === undefined || tag > 0xff) return false;
    switch (typeof v) {
      case 'string':
        return this.#writer.keyValueString(tag, cached, v);
      case 'number':
        if (Number.isInteger(v)) {
          if (v < 0 || v > 0xffffffff) return false;
          this.#writer.keyValueVarint(tag, cached, INT_VALUE, v);
        } else this.#writer.keyValueDouble(tag, cached, v);
        return true;
      case 'boolean':
        this.#writer.keyValueVarint(tag, cached, BOOL_VALUE, v ? 1 : 0);
        return true;
      default:
        return false;
    }
  }
  key(f: Field, v: string): void {
    const cached = this.#keys.get(v);
    if (cached !== undefined) {
      this.#writer.raw(cached);
      return;
    }
    const start = this.#writer.pos;
    this.string(f, v);
    if (v.length <= MAX_CACHED_KEY_LENGTH && this.#keys.size < MAX_CACHED_KEYS)
      this.#keys.set(v, new Uint8Array(this.#writer.buf.subarray(start, this.#writer.pos)));
  }
  bool(f: Field, v: boolean): void {
    this.#tag(f);
    this.#writer.byte(v ? 1 : 0);
  }
  uint32(f: Field, v: number): void {
    this.#tag(f);
    this.#writer.uint32(v);
  }
  sint32(f: Field, v: number): void {
    this.#tag(f);
    this.#writer.sint32(v);
  }
  fixed32(f: Field, v: number): void {
    this.#tag(f);
    this.#writer.fixed32(v);
  }
  fixed64(f: Field, v: bigint): void {
    this.#tag(f);
    this.#writer.fixed64(v);
  }
  fixed64n(f: Field, v: number): void {
    this.#tag(f);
    this.#writer.fixed64n(v);
  }
  int64(f: Field, v: number): void {
    this.#tag(f);
    writeInt64(this.#writer, v);
  }
  bigInt64(f: Field, v: bigint): void {
    this.#tag(f);
    writeBigInt64(this.#writer, v);
  }
  double(f: Field, v: number): void {
    this.#tag(f);
    this.#writer.double(v);
  }
  id(f: Field, v: Uint8Array): void {
    this.#tag(f);
    this.#writer.bytes(v);
  }
  bytes(f: Field, v: Uint8Array): void {
    this.#tag(f);
    this.#writer.bytes(v);
  }
  zero(f: Field): void {
    this.#tag(f);
    this.#writer.byte(0);
  }
  packedFixed64(f: Field, v: readonly number[]): void {
    this.#tag(f);
    this.#writer.uint32(v.length * 8);
    for (let i = 0; i < v.length; i++) this.#writer.fixed64n(v[i] as number);
  }
  packedDouble(f: Field, v: readonly number[]): void {
    this.#tag(f);
    this.#writer.uint32(v.length * 8);
    for (let i = 0; i < v.length; i++) this.#writer.double(v[i] as number);
  }
  packedUint64(f: Field, v: readonly number[]): void {
    let size = 0;
    for (let i = 0; i < v.length; i++) size += int64Size(v[i] as number);
    this.#tag(f);
    this.#writer.uint32(size);
    for (let i = 0; i < v.length; i++) writeInt64(this.#writer, v[i] as number);
  }
}
