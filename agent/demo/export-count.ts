// Counts the log records in a file exporter's output (one OTLP/JSON ExportLogsServiceRequest per
// line): the demo's independent check of what actually left the agent. Anomaly records (event.name
// meshtail.anomaly.*) are the anomaly processor's own, not lines read: they are counted apart, so
// `records` (access and proxy records, and lines that did not parse) compares with lines written.
// So are rbac's role-view aggregates (event.name meshtail.aggregate), the manager's view.
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

interface ExportLogsLine {
  resourceLogs?: {
    scopeLogs?: { logRecords?: { attributes?: { key: string; value?: { stringValue?: string } }[] }[] }[];
  }[];
}

export interface ExportedCounts {
  /** Records made from lines read: access, proxy, and lines that did not parse. */
  records: number;
  /** Records the anomaly processor added. */
  anomalies: number;
  /** Aggregate records rbac made for a role view (counts per call path, no per-request detail). */
  aggregates: number;
}

const eventName = (r: { attributes?: { key: string; value?: { stringValue?: string } }[] }) =>
  r.attributes?.find((kv) => kv.key === 'event.name')?.value?.stringValue ?? '';

export async function countExportedRecords(path: string): Promise<ExportedCounts> {
  const counts = { records: 0, anomalies: 0, aggregates: 0 };
  if (!existsSync(path)) return counts;
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (line.length === 0) continue;
    const request = JSON.parse(line) as ExportLogsLine;
    for (const rl of request.resourceLogs ?? [])
      for (const sl of rl.scopeLogs ?? [])
        for (const r of sl.logRecords ?? []) {
          const name = eventName(r);
          if (name.startsWith('meshtail.anomaly.')) counts.anomalies++;
          else if (name === 'meshtail.aggregate') counts.aggregates++;
          else counts.records++;
        }
  }
  return counts;
}
