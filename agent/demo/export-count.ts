// Counts the log records in a file exporter's output (one OTLP/JSON ExportLogsServiceRequest per
// line): the demo's independent check of what actually left the agent.
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

interface ExportLogsLine {
  resourceLogs?: { scopeLogs?: { logRecords?: unknown[] }[] }[];
}

export async function countExportedRecords(path: string): Promise<number> {
  if (!existsSync(path)) return 0;
  let count = 0;
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (line.length === 0) continue;
    const request = JSON.parse(line) as ExportLogsLine;
    for (const rl of request.resourceLogs ?? [])
      for (const sl of rl.scopeLogs ?? []) count += sl.logRecords?.length ?? 0;
  }
  return count;
}
