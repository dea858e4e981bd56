// A record value in its OTLP/JSON AnyValue form, the form the sealed bundle carries: typed and
// self-describing, so `meshtail decrypt` puts a value back into an OTLP/JSON record as it was.
import type { AttributeValue } from '../record/record.ts';

export type AnyValueJson = Record<string, unknown>;

const INT64_MIN = -(2 ** 63);
const INT64_MAX = 2 ** 63;

export function anyValueJson(v: AttributeValue): AnyValueJson {
  switch (typeof v) {
    case 'string':
      return { stringValue: v };
    case 'boolean':
      return { boolValue: v };
    case 'number':
      if (Number.isInteger(v) && v >= INT64_MIN && v < INT64_MAX) return { intValue: String(v) };
      return { doubleValue: Number.isFinite(v) ? v : String(v) };
    case 'bigint':
      return { intValue: BigInt.asIntN(64, v).toString() };
    default:
      if (v === null) return {};
      if (v instanceof Uint8Array) return { bytesValue: Buffer.from(v).toString('base64') };
      if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValueJson) } };
      return {
        kvlistValue: {
          values: Object.entries(v.kvlist).map(([key, value]) => ({ key, value: anyValueJson(value) })),
        },
      };
  }
}

/** The text a pseudonym is computed over: the string itself, else the value's JSON form. */
export function pseudonymInput(v: AttributeValue): string {
  return typeof v === 'string' ? v : JSON.stringify(anyValueJson(v));
}
