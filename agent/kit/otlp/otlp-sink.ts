// What the traversals (logs.ts, traces.ts, metrics.ts, common.ts) write to: one call per field,
// named by its Field from shape.ts. ProtoSink writes protobuf, JsonSink OTLP/JSON; the traversal,
// with its field order and presence rules, exists once for both.
import type { AttributeValue } from '../record/record.ts';
import type { Field } from './field.ts';

export interface OtlpSink {
  reset(): void;
  /** A copy of what was written, owning its ArrayBuffer (transferable). */
  finish(): Uint8Array;

  /** The request: protobuf has no envelope, JSON an object. */
  beginRequest(): void;
  endRequest(): void;

  /** A sub-message field; `guess` is the protobuf length prefix's expected size. Returns the mark for close. */
  open(f: Field, guess: number): number;
  /** A repeated field's list; its items are opened with item(). Protobuf has no list of its own. */
  openList(f: Field): void;
  /** One message of the list opened by openList(f). */
  item(f: Field, guess: number): number;
  close(mark: number, guess: number): void;
  closeList(): void;

  /**
   * One attribute as a whole KeyValue of the repeated field `f`, when the sink has a faster way for
   * this key and value; false, with nothing written, leaves it to the traversal's general path.
   */
  keyValue(f: Field, key: string, v: AttributeValue): boolean;

  string(f: Field, v: string): void;
  /** An attribute key: a string that repeats from record to record (a sink may keep its encoding). */
  key(f: Field, v: string): void;
  bool(f: Field, v: boolean): void;
  /** An enum or small unsigned varint; JSON leaves a 0 out (its default). */
  uint32(f: Field, v: number): void;
  sint32(f: Field, v: number): void;
  fixed32(f: Field, v: number): void;
  /** A timestamp (fixed64). */
  fixed64(f: Field, v: bigint): void;
  /** fixed64/sfixed64 from a number (counts, as_int). */
  fixed64n(f: Field, v: number): void;
  /** An int64 varint (AnyValue.int_value). */
  int64(f: Field, v: number): void;
  bigInt64(f: Field, v: bigint): void;
  double(f: Field, v: number): void;
  /** A trace or span id: bytes in protobuf, lowercase hex in JSON. */
  id(f: Field, v: Uint8Array): void;
  /** Other bytes: base64 in JSON. */
  bytes(f: Field, v: Uint8Array): void;
  /** A dropped-items count the model never has: protobuf writes 0 (as the transformer does), JSON leaves it out. */
  zero(f: Field): void;
  packedFixed64(f: Field, v: readonly number[]): void;
  packedDouble(f: Field, v: readonly number[]): void;
  packedUint64(f: Field, v: readonly number[]): void;
}
