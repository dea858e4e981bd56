// Decoding with the official OTLP definitions, and helpers that turn decoded messages back into
// meshtail's model values for comparison.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { AttributeValue } from '../../../../../agent/kit/record/record.ts';

// scripts/otlp-decode: a Go program over go.opentelemetry.io/proto/otlp, the types generated from
// the official opentelemetry-proto definitions. Built by scripts/build-otlp-decode.sh (.ci/run).
const DECODER = path.join(
  process.env.MESHTAIL_CACHE ?? path.join(homedir(), '.cache', 'meshtail'),
  'otlp-decode',
);

export const decoderAvailable = existsSync(DECODER);

// biome-ignore lint/suspicious/noExplicitAny: decoded protobuf objects are walked dynamically.
export type Decoded = any;

/**
 * Decodes a request to proto JSON: 64-bit integers as decimal strings, bytes as base64, enums as
 * numbers, zero values omitted. Fails on bytes the official schema cannot read, or on field numbers
 * it does not define.
 */
export function decode(signal: 'logs' | 'traces' | 'metrics', bytes: Uint8Array): Decoded {
  if (!decoderAvailable) throw new Error(`${DECODER} is missing: run bash scripts/build-otlp-decode.sh`);
  return JSON.parse(execFileSync(DECODER, [signal], { input: bytes, maxBuffer: 1 << 28 }).toString('utf8'));
}

export const fromBase64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

/** A decoded AnyValue as a model value; integers come back as bigint. */
export function toModel(v: Decoded): AttributeValue {
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('intValue' in v) return BigInt(v.intValue);
  if ('doubleValue' in v) return v.doubleValue;
  if ('bytesValue' in v) return fromBase64(v.bytesValue);
  if ('arrayValue' in v) return (v.arrayValue.values ?? []).map(toModel);
  if ('kvlistValue' in v) return { kvlist: attributesToModel(v.kvlistValue.values ?? []) };
  return null;
}

export function attributesToModel(kvs: Decoded[] | undefined): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const kv of kvs ?? []) out[kv.key] = toModel(kv.value);
  return out;
}

/** The model value as it should come back: integer numbers within int64 become bigint. */
export function expected(v: AttributeValue): AttributeValue {
  if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 2 ** 63) return BigInt(v);
  if (Array.isArray(v)) return v.map(expected);
  if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) {
    return { kvlist: Object.fromEntries(Object.entries(v.kvlist).map(([k, x]) => [k, expected(x)])) };
  }
  return v;
}

export const expectedAttributes = (a: Record<string, AttributeValue>) =>
  Object.fromEntries(Object.entries(a).map(([k, v]) => [k, expected(v)]));
