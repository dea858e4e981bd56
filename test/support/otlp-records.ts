// Log records of OTLP/JSON-lines files (the file exporter's output, or decrypt's), keyed by their
// x-request-id with attributes as a plain object, so two outputs can be compared record by record.
import { readFileSync } from 'node:fs';

export interface RecordJson {
  attributes?: { key: string; value: unknown }[];
  body?: unknown;
  [k: string]: unknown;
}

export function logRecords(...files: string[]): RecordJson[] {
  const out: RecordJson[] = [];
  for (const file of files)
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line === '') continue;
      for (const rl of JSON.parse(line).resourceLogs ?? [])
        for (const sl of rl.scopeLogs ?? []) out.push(...(sl.logRecords ?? []));
    }
  return out;
}

export function byRequestId(list: RecordJson[]) {
  return new Map(
    list.map((r) => {
      const attributes = Object.fromEntries((r.attributes ?? []).map((kv) => [kv.key, kv.value]));
      const id = (attributes['http.request.header.x-request-id'] as { stringValue: string }).stringValue;
      return [id, { ...r, attributes }];
    }),
  );
}
