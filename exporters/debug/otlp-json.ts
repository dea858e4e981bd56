// The parts of OTLP/JSON the debug exporter reads, and a walk that is the same for all three
// signals: resource → scope → items (log records, spans, metrics).
import type { Signal } from '../../agent/kit/record/signal.ts';

export interface AnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  bytesValue?: string;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: KeyValue[] };
}
export interface KeyValue {
  key: string;
  value?: AnyValue;
}
export type Item = Record<string, unknown> & { attributes?: KeyValue[] };
interface Scope {
  scope?: { name?: string; version?: string };
  schemaUrl?: string;
  [items: string]: unknown;
}
interface Resource {
  resource?: { attributes?: KeyValue[] };
  schemaUrl?: string;
  [scopes: string]: unknown;
}

export const SHAPE = {
  logs: {
    resources: 'resourceLogs',
    scopes: 'scopeLogs',
    items: 'logRecords',
    names: ['ResourceLog', 'ScopeLogs', 'LogRecord'],
  },
  traces: {
    resources: 'resourceSpans',
    scopes: 'scopeSpans',
    items: 'spans',
    names: ['ResourceSpans', 'ScopeSpans', 'Span'],
  },
  metrics: {
    resources: 'resourceMetrics',
    scopes: 'scopeMetrics',
    items: 'metrics',
    names: ['ResourceMetrics', 'ScopeMetrics', 'Metric'],
  },
} as const;

export interface Visitor {
  resource(r: { attributes: KeyValue[]; schemaUrl: string }, index: number): void;
  scope(s: { name: string; version: string; schemaUrl: string }, index: number): void;
  item(item: Item, index: number): void;
}

export function walk(signal: Signal, request: Record<string, unknown>, visit: Visitor): void {
  const shape = SHAPE[signal];
  for (const [ri, r] of list<Resource>(request[shape.resources]).entries()) {
    visit.resource({ attributes: r.resource?.attributes ?? [], schemaUrl: r.schemaUrl ?? '' }, ri);
    for (const [si, s] of list<Scope>(r[shape.scopes]).entries()) {
      visit.scope(
        { name: s.scope?.name ?? '', version: s.scope?.version ?? '', schemaUrl: s.schemaUrl ?? '' },
        si,
      );
      for (const [ii, item] of list<Item>(s[shape.items]).entries()) visit.item(item, ii);
    }
  }
}

export function list<T>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

/** The value as a plain string (normal verbosity). */
export function plain(v: AnyValue | undefined): string {
  if (!v) return '';
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return String(v.intValue);
  if (v.doubleValue !== undefined) return String(v.doubleValue);
  if (v.boolValue !== undefined) return String(v.boolValue);
  if (v.bytesValue !== undefined) return v.bytesValue;
  if (v.arrayValue) return `[${list<AnyValue>(v.arrayValue.values).map(plain).join(',')}]`;
  if (v.kvlistValue)
    return `{${list<KeyValue>(v.kvlistValue.values)
      .map((kv) => `${kv.key}=${plain(kv.value)}`)
      .join(',')}}`;
  return '';
}

/** The value with its type, the Collector's detailed form: Str(x), Int(3), Map({...}). */
export function typed(v: AnyValue | undefined): string {
  if (!v) return 'Empty()';
  if (v.stringValue !== undefined) return `Str(${v.stringValue})`;
  if (v.intValue !== undefined) return `Int(${v.intValue})`;
  if (v.doubleValue !== undefined) return `Double(${v.doubleValue})`;
  if (v.boolValue !== undefined) return `Bool(${v.boolValue})`;
  if (v.bytesValue !== undefined) return `Bytes(${v.bytesValue})`;
  if (v.arrayValue) return `Slice(${JSON.stringify(list<AnyValue>(v.arrayValue.values).map(plain))})`;
  if (v.kvlistValue)
    return `Map(${JSON.stringify(Object.fromEntries(list<KeyValue>(v.kvlistValue.values).map((kv) => [kv.key, plain(kv.value)])))})`;
  return 'Empty()';
}

export function attributesInline(attrs: KeyValue[] | undefined): string {
  return list<KeyValue>(attrs)
    .map((kv) => `${kv.key}=${plain(kv.value)}`)
    .join(' ');
}

/** Unix nanoseconds (a decimal string in OTLP/JSON) as RFC 3339 with nanoseconds. */
export function timestamp(ns: unknown): string {
  if (ns === undefined || ns === null || ns === '' || ns === '0' || ns === 0) return '';
  const n = BigInt(ns as string);
  const iso = new Date(Number(n / 1_000_000n)).toISOString();
  return `${iso.slice(0, 19)}.${String(n % 1_000_000_000n).padStart(9, '0')}Z`;
}
