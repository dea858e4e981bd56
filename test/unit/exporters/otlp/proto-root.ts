// The official OTLP definitions (vendored under ./proto) loaded with protobufjs, and helpers that
// turn decoded messages back into meshtail's model values for comparison.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import type { AttributeValue } from '../../../../agent/pipeline/record.ts';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'proto');
const root = new protobuf.Root();
root.resolvePath = (_origin, target) => path.join(dir, target);
root.loadSync([
  'opentelemetry/proto/collector/logs/v1/logs_service.proto',
  'opentelemetry/proto/collector/trace/v1/trace_service.proto',
  'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
]);

const REQUEST = {
  logs: 'opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest',
  traces: 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
  metrics: 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest',
} as const;

// biome-ignore lint/suspicious/noExplicitAny: decoded protobuf objects are walked dynamically.
export type Decoded = any;

/** Decodes a request; 64-bit integers as decimal strings, bytes as base64, enums as numbers. */
export function decode(signal: keyof typeof REQUEST, bytes: Uint8Array): Decoded {
  const type = root.lookupType(REQUEST[signal]);
  return type.toObject(type.decode(bytes), { longs: String, bytes: String, enums: Number });
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
