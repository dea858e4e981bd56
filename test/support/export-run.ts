// One scenario shared by the integration and e2e tests: generated logs → `meshtail run` (child
// process) → the real Collector; waits until the Collector has as many records as were written,
// lets late duplicates arrive, and returns the tally and the agent's own counters.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Collector } from './collector.ts';
import { freePort } from './free-port.ts';
import type { GeneratedLogs } from './generated-logs.ts';
import { IdTally, type TallyReport } from './id-tally.ts';
import { writeMeshtailConfig } from './meshtail-config.ts';
import { MeshtailProcess } from './meshtail-process.ts';

export interface ExportRun {
  meshtail: MeshtailProcess;
  tally: IdTally;
}

/** Starts meshtail reading `logs` into `exporter`; the caller waits and stops it. */
export async function startExport(
  dir: string,
  logs: GeneratedLogs,
  exporter: { id: string; config: Record<string, unknown> },
  workers?: Record<string, unknown>,
): Promise<ExportRun> {
  mkdirSync(dir, { recursive: true });
  const adminPort = await freePort();
  const config = writeMeshtailConfig(join(dir, 'meshtail.yaml'), {
    include: [logs.include],
    exporter,
    dataDir: join(dir, 'state'),
    adminPort,
    ...(workers ? { workers } : {}),
  });
  const meshtail = await MeshtailProcess.start(config, adminPort, join(dir, 'meshtail.log'));
  return { meshtail, tally: new IdTally(logs) };
}

/** Waits for every line (by id) at the Collector, then a little longer so duplicates would show. */
export async function awaitDelivery(
  collector: Collector,
  run: ExportRun,
  lines: number,
  timeoutMs: number,
): Promise<TallyReport> {
  // Unique ids, not records: duplicates (a kill -9 replays) must not end the wait before every line came.
  const end = Date.now() + timeoutMs;
  collector.poll(run.tally.visit);
  while (run.tally.unique < lines && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    collector.poll(run.tally.visit);
  }
  await new Promise((r) => setTimeout(r, 500));
  collector.poll(run.tally.visit);
  return run.tally.report();
}
