// Counts the log records in a file exporter's output (one OTLP/JSON ExportLogsServiceRequest per
// line): the demo's independent check of what actually left the agent. Anomaly records (event.name
// meshtail.anomaly.*) are the anomaly processor's own, not lines read: they are counted apart, so
// `records` (access and proxy records, and lines that did not parse) compares with lines written.
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
}

const isAnomaly = (r: { attributes?: { key: string; value?: { stringValue?: string } }[] }) =>
  r.attributes?.some(
    (kv) => kv.key === 'event.name' && kv.value?.stringValue?.startsWith('meshtail.anomaly.'),
  ) ?? false;

export async function countExportedRecords(path: string): Promise<ExportedCounts> {
  const counts = { records: 0, anomalies: 0 };
  if (!existsSync(path)) return counts;
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (line.length === 0) continue;
    const request = JSON.parse(line) as ExportLogsLine;
    for (const rl of request.resourceLogs ?? [])
      for (const sl of rl.scopeLogs ?? [])
        for (const r of sl.logRecords ?? []) {
          if (isAnomaly(r)) counts.anomalies++;
          else counts.records++;
        }
  }
  return counts;
}
