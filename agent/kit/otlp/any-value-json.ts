// The OTLP/JSON forms shared by every signal: AnyValue, attributes, Resource, InstrumentationScope.
// Per the OTLP JSON mapping: lowerCamelCase names, ids as lowercase hex, 64-bit integers as decimal
// strings, bytes as base64, enums as integers, non-finite doubles as strings.
import type { Attributes, AttributeValue, Scope } from '../record/record.ts';
import type { JsonWriter } from './json-writer.ts';

// Matches the proto encoder: integers within int64 are int_value, the rest double_value.
const INT64_MIN = -(2 ** 63);
const INT64_MAX = 2 ** 63;

export function writeAnyValueJson(w: JsonWriter, v: AttributeValue): void {
  switch (typeof v) {
    case 'string':
      w.raw('{"stringValue":');
      w.str(v);
      w.raw('}');
      return;
    case 'boolean':
      w.raw(v ? '{"boolValue":true}' : '{"boolValue":false}');
      return;
    case 'number':
      if (Number.isInteger(v) && v >= INT64_MIN && v < INT64_MAX) {
        w.raw('{"intValue":"' + String(v) + '"}');
      } else {
        w.raw('{"doubleValue":');
        w.double(v);
        w.raw('}');
      }
      return;
    case 'bigint':
      w.raw('{"intValue":"' + BigInt.asIntN(64, v).toString() + '"}');
      return;
    case 'object':
      if (v === null) {
        w.raw('{}');
      } else if (v instanceof Uint8Array) {
        w.raw('{"bytesValue":');
        w.base64(v);
        w.raw('}');
      } else if (Array.isArray(v)) {
        w.raw('{"arrayValue":{"values":[');
        for (let i = 0; i < v.length; i++) {
          if (i > 0) w.raw(',');
          writeAnyValueJson(w, v[i] as AttributeValue);
        }
        w.raw(']}}');
      } else {
        w.raw('{"kvlistValue":{"values":');
        writeAttributesJson(w, v.kvlist);
        w.raw('}}');
      }
      return;
    default:
      w.raw('{}');
  }
}

/** A JSON array of KeyValue. */
export function writeAttributesJson(w: JsonWriter, attributes: Attributes): void {
  w.raw('[');
  let first = true;
  for (const key in attributes) {
    w.raw(first ? '{"key":' : ',{"key":');
    w.str(key);
    w.raw(',"value":');
    writeAnyValueJson(w, attributes[key] as AttributeValue);
    w.raw('}');
    first = false;
  }
  w.raw(']');
}

/** `"resource":{...},` then `"scope…":[{"scope":{...},` — the head every request shares. */
export function writeHeadJson(w: JsonWriter, resource: Attributes, scopeField: string, scope: Scope): void {
  // dropped_attributes_count 0 is the default and left out.
  w.raw('{"resource":{"attributes":');
  writeAttributesJson(w, resource);
  w.raw('},"' + scopeField + '":[{"scope":{"name":');
  w.str(scope.name);
  if (scope.version) {
    w.raw(',"version":');
    w.str(scope.version);
  }
  w.raw('}');
}
