// What every signal shares: AnyValue, attributes, Resource, InstrumentationScope, and the request's
// nesting (Export*ServiceRequest → Resource* → Scope* → items).
import type { Attributes, AttributeValue, Scope } from '../record/record.ts';
import type { Field } from './field.ts';
import type { OtlpSink } from './otlp-sink.ts';
import { ANY_VALUE, type Envelope, KEY_VALUE, RESOURCE, SCOPE, VALUES } from './shape.ts';

// int_value is an int64: integers outside it go out as doubles, as the transformer does.
const INT64_MIN = -(2 ** 63);
const INT64_MAX = 2 ** 63;

// Length-prefix guesses: a ResourceX/ScopeX message is usually below 2 MiB.
const BATCH_GUESS = 3;

interface Batch {
  resource: Attributes;
  scope: Scope;
}

/** The request for `batches`, each item written by `writeItem` with a `guess`-byte length prefix. */
export function writeRequest<B extends Batch, T>(
  s: OtlpSink,
  shape: Envelope,
  batches: readonly B[],
  itemsOf: (batch: B) => readonly T[],
  writeItem: (s: OtlpSink, item: T) => void,
  itemGuess: number,
): void {
  s.beginRequest();
  s.openList(shape.resources);
  for (let b = 0; b < batches.length; b++) {
    const batch = batches[b] as B;
    const resources = s.item(shape.resources, BATCH_GUESS);
    writeResource(s, shape.resource, batch.resource);
    s.openList(shape.scopes);
    const scopes = s.item(shape.scopes, BATCH_GUESS);
    writeScope(s, shape.scope, batch.scope);
    writeMessages(s, shape.items, itemsOf(batch), writeItem, itemGuess);
    s.close(scopes, BATCH_GUESS);
    s.closeList();
    s.close(resources, BATCH_GUESS);
  }
  s.closeList();
  s.endRequest();
}

/** `items` as the repeated message field `f`, each written by `write` with a `guess`-byte length prefix. */
export function writeMessages<T>(
  s: OtlpSink,
  f: Field,
  items: readonly T[],
  write: (s: OtlpSink, item: T) => void,
  guess: number,
): void {
  s.openList(f);
  for (let i = 0; i < items.length; i++) {
    const mark = s.item(f, guess);
    write(s, items[i] as T);
    s.close(mark, guess);
  }
  s.closeList();
}

/** The fields of an AnyValue; null writes none (the empty AnyValue). */
export function writeAnyValue(s: OtlpSink, v: AttributeValue): void {
  switch (typeof v) {
    case 'string':
      s.string(ANY_VALUE.stringValue, v);
      return;
    case 'boolean':
      s.bool(ANY_VALUE.boolValue, v);
      return;
    case 'number':
      if (Number.isInteger(v) && v >= INT64_MIN && v < INT64_MAX) s.int64(ANY_VALUE.intValue, v);
      else s.double(ANY_VALUE.doubleValue, v);
      return;
    case 'bigint':
      s.bigInt64(ANY_VALUE.intValue, v);
      return;
    case 'object': {
      if (v === null) return;
      if (v instanceof Uint8Array) {
        s.bytes(ANY_VALUE.bytesValue, v);
        return;
      }
      if (Array.isArray(v)) {
        const mark = s.open(ANY_VALUE.arrayValue, 1);
        s.openList(VALUES);
        for (let i = 0; i < v.length; i++) {
          const item = s.item(VALUES, 1);
          writeAnyValue(s, v[i] as AttributeValue);
          s.close(item, 1);
        }
        s.closeList();
        s.close(mark, 1);
        return;
      }
      const mark = s.open(ANY_VALUE.kvlistValue, 1);
      writeAttributes(s, VALUES, v.kvlist);
      s.close(mark, 1);
      return;
    }
  }
}

/** Each attribute as a KeyValue, repeated under `f`. */
export function writeAttributes(s: OtlpSink, f: Field, attributes: Attributes): void {
  s.openList(f);
  // for-in keeps insertion order (integer-like keys first), the order Object.keys and the
  // transformer use; record attributes are plain objects, so no inherited keys appear.
  for (const key in attributes) {
    const v = attributes[key] as AttributeValue;
    if (s.keyValue(f, key, v)) continue;
    const kv = s.item(f, 1);
    s.key(KEY_VALUE.key, key);
    const value = s.open(KEY_VALUE.value, 1);
    writeAnyValue(s, v);
    s.close(value, 1);
    s.close(kv, 1);
  }
  s.closeList();
}

function writeResource(s: OtlpSink, f: Field, attributes: Attributes): void {
  const mark = s.open(f, 2);
  writeAttributes(s, RESOURCE.attributes, attributes);
  s.zero(RESOURCE.droppedAttributesCount);
  s.close(mark, 2);
}

function writeScope(s: OtlpSink, f: Field, scope: Scope): void {
  const mark = s.open(f, 1);
  s.string(SCOPE.name, scope.name);
  if (scope.version) s.string(SCOPE.version, scope.version);
  s.close(mark, 1);
}
