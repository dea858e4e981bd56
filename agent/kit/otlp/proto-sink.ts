// The protobuf side of OtlpSink: tags as constant bytes, one pass, one reused buffer (ProtoWriter).
import type { Field } from './field.ts';
import { int64Size, writeBigInt64, writeInt64 } from './int64.ts';
import type { OtlpSink } from './otlp-sink.ts';
import { ProtoWriter } from './proto-writer.ts';

export class ProtoSink implements OtlpSink {
  readonly #w = new ProtoWriter();

  reset(): void {
    this.#w.reset();
  }
  finish(): Uint8Array {
    return this.#w.finish();
  }
  beginRequest(): void {}
  endRequest(): void {}

  #tag(f: Field): void {
    const t = f.tag;
    this.#w.byte(t & 0xff);
    if (t > 0xff) this.#w.byte(t >> 8);
  }

  open(f: Field, guess: number): number {
    this.#tag(f);
    return this.#w.fork(guess);
  }
  openList(_f: Field): void {}
  item(f: Field, guess: number): number {
    this.#tag(f);
    return this.#w.fork(guess);
  }
  close(mark: number, guess: number): void {
    this.#w.join(mark, guess);
  }
  closeList(): void {}

  string(f: Field, v: string): void {
    this.#tag(f);
    this.#w.string(v);
  }
  bool(f: Field, v: boolean): void {
    this.#tag(f);
    this.#w.byte(v ? 1 : 0);
  }
  uint32(f: Field, v: number): void {
    this.#tag(f);
    this.#w.uint32(v);
  }
  sint32(f: Field, v: number): void {
    this.#tag(f);
    this.#w.sint32(v);
  }
  fixed32(f: Field, v: number): void {
    this.#tag(f);
    this.#w.fixed32(v);
  }
  fixed64(f: Field, v: bigint): void {
    this.#tag(f);
    this.#w.fixed64(v);
  }
  fixed64n(f: Field, v: number): void {
    this.#tag(f);
    this.#w.fixed64n(v);
  }
  int64(f: Field, v: number): void {
    this.#tag(f);
    writeInt64(this.#w, v);
  }
  bigInt64(f: Field, v: bigint): void {
    this.#tag(f);
    writeBigInt64(this.#w, v);
  }
  double(f: Field, v: number): void {
    this.#tag(f);
    this.#w.double(v);
  }
  id(f: Field, v: Uint8Array): void {
    this.#tag(f);
    this.#w.bytes(v);
  }
  bytes(f: Field, v: Uint8Array): void {
    this.#tag(f);
    this.#w.bytes(v);
  }
  zero(f: Field): void {
    this.#tag(f);
    this.#w.byte(0);
  }
  packedFixed64(f: Field, v: readonly number[]): void {
    this.#tag(f);
    this.#w.uint32(v.length * 8);
    for (let i = 0; i < v.length; i++) this.#w.fixed64n(v[i] as number);
  }
  packedDouble(f: Field, v: readonly number[]): void {
    this.#tag(f);
    this.#w.uint32(v.length * 8);
    for (let i = 0; i < v.length; i++) this.#w.double(v[i] as number);
  }
  packedUint64(f: Field, v: readonly number[]): void {
    let size = 0;
    for (let i = 0; i < v.length; i++) size += int64Size(v[i] as number);
    this.#tag(f);
    this.#w.uint32(size);
    for (let i = 0; i < v.length; i++) writeInt64(this.#w, v[i] as number);
  }
}
