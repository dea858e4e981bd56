// One batch's HTTP access records into a series table (the per-batch aggregate of the worker part).
import { UPSTREAM_FAILURE_FLAGS } from '../../agent/kit/record/envoy-flags.ts';
import type { Attributes, LogRecord } from '../../agent/kit/record/record.ts';
import type { RedMetricsConfig } from './config.ts';
import { addRequest, newTable, type SeriesTable } from './series.ts';

export const STATUS_CLASS = 'http.response.status_class';

export interface BatchTable extends SeriesTable {
  minTime: bigint;
  maxTime: bigint;
}

export function isError(code: number, flags: unknown): boolean {
  if (code >= 500) return true;
  if (Array.isArray(flags)) for (const f of flags) if (UPSTREAM_FAILURE_FLAGS.has(f as string)) return true;
  return false;
}

/** `2xx` … `5xx`; `none` when no response was sent (status 0). */
export function statusClass(code: number): string {
  return code >= 100 && code < 600 ? `${Math.floor(code / 100)}xx` : 'none';
}

export function aggregateRecords(records: readonly LogRecord[], config: RedMetricsConfig): BatchTable {
  const t: BatchTable = { ...newTable(), minTime: 0n, maxTime: 0n };
  const dims = config.dimensions;
  for (const r of records) {
    const a = r.attributes;
    if (typeof a['http.request.method'] !== 'string') continue;
    const code = Number(a['http.response.status_code']);
    if (!Number.isFinite(code)) continue;
    const cls = statusClass(code);
    let key = cls;
    for (const d of dims) key += `\u0000${a[d] === undefined ? '' : String(a[d])}`;
    const attrs = (): Attributes => {
      const out: Attributes = {};
      for (const d of dims) if (a[d] !== undefined) out[d] = a[d]!;
      out[STATUS_CLASS] = cls;
      return out;
    };
    const ms = Number(a['envoy.duration_ms'] ?? 0);
    const seconds = Number.isFinite(ms) && ms > 0 ? ms / 1000 : 0;
    addRequest(t, key, attrs, seconds, isError(code, a['envoy.response_flags']), config);
    if (t.minTime === 0n || r.timeUnixNano < t.minTime) t.minTime = r.timeUnixNano;
    if (r.timeUnixNano > t.maxTime) t.maxTime = r.timeUnixNano;
  }
  return t;
}
