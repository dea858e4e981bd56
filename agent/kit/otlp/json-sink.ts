// The OTLP/JSON side of OtlpSink, per the OTLP JSON mapping: lowerCamelCase keys, ids as lowercase
// hex, 64-bit integers as decimal strings, bytes as base64, enums as integers, non-finite doubles
// as strings. A comma goes before a key or an item unless the object or list just opened.
import type { Field } from './field.ts';
import { JsonWriter } from './json-writer.ts';
import type { OtlpSink } from './otlp-sink.ts';

const OPEN_OBJECT = 0x7b; // {
const OPEN_LIST = 0x5b; // [

export class JsonSink implements OtlpSink {
  readonly #writer = new JsonWriter();

  reset(): void {
    this.#writer.reset();
  }
  finish(): Uint8Array {
    return this.#writer.finish();
  }
  beginRequest(): void {
    this.#writer.raw('{');
  }
  endRequest(): void {
    this.#writer.raw('}');
  }

  /** True when the object just opened: its first key needs no comma. */
  #first(): boolean {
    const w = this.#writer;
    return w.buf[w.pos - 1] === OPEN_OBJECT;
  }

  #key(f: Field): void {
    this.#writer.raw(this.#first() ? f.json.first : f.json.next);
  }

  open(f: Field, _guess: number): number {
    this.#writer.raw(this.#first() ? f.json.firstObject : f.json.nextObject);
    return 0;
  }
  openList(f: Field): void {
    this.#writer.raw(this.#first() ? f.json.firstList : f.json.nextList);
  }
  item(_f: Field, _guess: number): number {
    const w = this.#writer;
    w.raw(w.buf[w.pos - 1] === OPEN_LIST ? '{' : ',{');
    return 0;
  }
  close(_mark: number, _guess: number): void {
    this.#writer.raw('}');
  }
  closeList(): void {
    this.#writer.raw(']');
  }

  string(f: Field, v: string): void {
    this.#key(f);
    this.#writer.str(v);
  }
  keyValue(): boolean {
    return false;
  }
  key(f: Field, v: string): void {
    this.string(f, v);
  }
  bool(f: Field, v: boolean): void {
    this.#key(f);
    this.#writer.raw(v ? 'true' : 'false');
  }
  uint32(f: Field, v: number): void {
    if (v === 0) return;
    this.#key(f);
    this.#writer.raw(String(v));
  }
  sint32(f: Field, v: number): void {
    this.#key(f);
    this.#writer.raw(String(v));
  }
  fixed32(f: Field, v: number): void {
    this.#key(f);
    this.#writer.raw(String(v));
  }
  fixed64(f: Field, v: bigint): void {
    this.#key(f);
    this.#writer.int64(v);
  }
  fixed64n(f: Field, v: number): void {
    this.#key(f);
    this.#writer.int64(v);
  }
  int64(f: Field, v: number): void {
    this.#key(f);
    this.#writer.int64(v);
  }
  bigInt64(f: Field, v: bigint): void {
    this.#key(f);
    this.#writer.int64(BigInt.asIntN(64, v));
  }
  double(f: Field, v: number): void {
    this.#key(f);
    this.#writer.double(v);
  }
  id(f: Field, v: Uint8Array): void {
    this.#key(f);
    this.#writer.hex(v);
  }
  bytes(f: Field, v: Uint8Array): void {
    this.#key(f);
    this.#writer.base64(v);
  }
  zero(_f: Field): void {}
  packedFixed64(f: Field, v: readonly number[]): void {
    this.#int64s(f, v);
  }
  packedDouble(f: Field, v: readonly number[]): void {
    this.#key(f);
    const w = this.#writer;
    w.raw('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) w.raw(',');
      w.double(v[i] as number);
    }
    w.raw(']');
  }
  packedUint64(f: Field, v: readonly number[]): void {
    this.#int64s(f, v);
  }
  #int64s(f: Field, v: readonly number[]): void {
    this.#key(f);
    const w = this.#writer;
    w.raw('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) w.raw(',');
      w.int64(v[i] as number);
    }
    w.raw(']');
  }
}
