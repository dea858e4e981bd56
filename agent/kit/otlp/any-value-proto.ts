// AnyValue, KeyValue, Resource and InstrumentationScope (opentelemetry/proto/common, resource).
// Field order and presence follow @opentelemetry/otlp-transformer so the bytes match it exactly.
import type { Attributes, AttributeValue, Scope } from '../record/record.ts';
import { writeBigInt64, writeInt64 } from './int64.ts';
import type { ProtoWriter } from './proto-writer.ts';

// int_value is an int64: integers outside it go out as doubles, as the transformer does.
const INT64_MIN = -(2 ** 63);
const INT64_MAX = 2 ** 63;

/** The fields of an AnyValue (no tag, no length); null writes nothing, the empty AnyValue. */
export function writeAnyValue(w: ProtoWriter, v: AttributeValue): void {
  switch (typeof v) {
    case 'string':
      w.byte(0x0a); // 1 string_value
      w.string(v);
      return;
    case 'boolean':
      w.byte(0x10); // 2 bool_value
      w.byte(v ? 1 : 0);
      return;
    case 'number':
      if (Number.isInteger(v) && v >= INT64_MIN && v < INT64_MAX) {
        w.byte(0x18); // 3 int_value
        writeInt64(w, v);
      } else {
        w.byte(0x21); // 4 double_value
        w.double(v);
      }
      return;
    case 'bigint':
      w.byte(0x18);
      writeBigInt64(w, v);
      return;
    case 'object':
      if (v === null) return;
      if (v instanceof Uint8Array) {
        w.byte(0x3a); // 7 bytes_value
        w.bytes(v);
      } else if (Array.isArray(v)) {
        w.byte(0x2a); // 5 array_value: ArrayValue { repeated AnyValue values = 1 }
        const mark = w.fork(1);
        for (let i = 0; i < v.length; i++) {
          w.byte(0x0a);
          const item = w.fork(1);
          writeAnyValue(w, v[i] as AttributeValue);
          w.join(item, 1);
        }
        w.join(mark, 1);
      } else {
        w.byte(0x32); // 6 kvlist_value: KeyValueList { repeated KeyValue values = 1 }
        const mark = w.fork(1);
        writeAttributes(w, 0x0a, v.kvlist);
        w.join(mark, 1);
      }
      return;
  }
}

/** Each attribute as a KeyValue { key = 1, value = 2 } under the one-byte field tag `tag`. */
export function writeAttributes(w: ProtoWriter, tag: number, attributes: Attributes): void {
  // for-in keeps insertion order (integer-like keys first), the order Object.keys and the
  // transformer use; record attributes are plain objects, so no inherited keys appear.
  for (const key in attributes) {
    w.byte(tag);
    const kv = w.fork(1);
    w.byte(0x0a);
    w.string(key);
    w.byte(0x12);
    const value = w.fork(1);
    writeAnyValue(w, attributes[key] as AttributeValue);
    w.join(value, 1);
    w.join(kv, 1);
  }
}

/** Resource { attributes = 1, dropped_attributes_count = 2 } as field 1 of the enclosing message. */
export function writeResource(w: ProtoWriter, attributes: Attributes): void {
  w.byte(0x0a);
  const mark = w.fork(2);
  writeAttributes(w, 0x0a, attributes);
  // The transformer always writes dropped_attributes_count, even 0; a decoder reads it as 0 either way.
  w.byte(0x10);
  w.byte(0);
  w.join(mark, 2);
}

/** InstrumentationScope { name = 1, version = 2 } as field 1 of the enclosing Scope* message. */
export function writeScope(w: ProtoWriter, scope: Scope): void {
  w.byte(0x0a);
  const mark = w.fork(1);
  w.byte(0x0a);
  w.string(scope.name);
  if (scope.version) {
    w.byte(0x12);
    w.string(scope.version);
  }
  w.join(mark, 1);
}
