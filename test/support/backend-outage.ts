// The backend-outage scenario shared by test/integration/backend-outage.test.ts and
// bench/backend-outage.bench.ts: lines flow at a steady rate through `meshtail run` (otlp_grpc with
// sending_queue.storage: disk, encrypted) into the real Collector; the Collector is SIGKILLed for
// `outageSeconds` while lines keep coming (optionally meshtail is SIGKILLed and restarted in the
// middle of the outage), then the Collector comes back and every line must arrive.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Collector } from './collector.ts';
import { tempKeyring } from './encrypt-keyring.ts';
import { awaitDelivery, type ExportRun, startExport } from './export-run.ts';
import { layoutLogs, writeSlice } from './generated-logs.ts';
import type { TallyReport } from './id-tally.ts';
import { MeshtailProcess } from './meshtail-process.ts';

export interface OutageOptions {
  dir: string;
  rate: number;
  /** Seconds of traffic before the outage, during it, and after it. */
  beforeSeconds: number;
  outageSeconds: number;
  afterSeconds: number;
  /** SIGKILL meshtail halfway through the outage and start it again. */
  kill9?: boolean;
  drainTimeoutMs: number;
  log?: (line: string) => void;
}

export interface OutageResult {
  lines: number;
  report: TallyReport;
  peakRssMiB: number;
  peakQueueBytes: number;
  drainSeconds: number;
  beforeOutage: number;
  droppedRecords: number;
  exit: { code: number | null; signal: NodeJS.Signals | null };
  queueFiles: string[];
  /** Queue files (scanned when the Collector returns, the queue at its fullest) holding a line's text in clear. */
  clearHits: string[];
  meshtailLog: string;
}

/** Text every generated line carries (generated-logs.ts body()). */
const CLEAR_NEEDLES = ['shop-frontend', 'via_upstream', '/api/v1/items/'];

const STEP_MS = 100;

export async function runOutage(o: OutageOptions): Promise<OutageResult> {
  const log = o.log ?? (() => {});
  const seconds = o.beforeSeconds + o.outageSeconds + o.afterSeconds;
  const steps = Math.round((seconds * 1000) / STEP_MS);
  const lines = o.rate * seconds;
  const logs = layoutLogs(join(o.dir, 'logs'), { lines, files: 6, rawEvery: 3 });
  const keys = tempKeyring();
  const collector = await Collector.start(join(o.dir, 'collector'));
  let run: ExportRun | undefined;
  const sampler = { rss: 0, queue: 0, stop: false };
  const queueDir = join(o.dir, 'agent', 'state', 'queues');
  try {
    run = await startExport(join(o.dir, 'agent'), logs, {
      id: 'otlp_grpc',
      config: {
        endpoint: collector.grpcEndpoint,
        tls: { insecure: true },
        retry_on_failure: { initial_interval: '100ms', max_interval: '1s', max_elapsed_time: 0 },
        sending_queue: { storage: 'disk', encryption: { keyring: keys.dir }, max_size: '8GiB' },
      },
    });
    const r = run;
    const sampling = (async () => {
      while (!sampler.stop) {
        sampler.rss = Math.max(sampler.rss, rssMiB(r.meshtail.pid));
        sampler.queue = Math.max(sampler.queue, dirBytes(queueDir));
        await sleep(250);
      }
    })();
    const t0 = Date.now();
    const traffic = (async () => {
      for (let step = 0; step < steps; step++) {
        writeSlice(logs, step, steps);
        const due = t0 + (step + 1) * STEP_MS;
        await sleep(Math.max(0, due - Date.now()));
      }
    })();

    await sleep(o.beforeSeconds * 1000);
    const beforeOutage = collector.poll(r.tally.visit);
    await collector.kill();
    log(`outage: Collector killed with ${beforeOutage} records received`);
    if (o.kill9) {
      await sleep((o.outageSeconds * 1000) / 2);
      const config = join(o.dir, 'agent', 'meshtail.yaml');
      await r.meshtail.stop('SIGKILL');
      log('outage: meshtail SIGKILLed; restarting');
      r.meshtail = await MeshtailProcess.start(
        config,
        r.meshtail.adminPort,
        join(o.dir, 'agent', 'meshtail-2.log'),
      );
      await sleep(Math.max(0, t0 + (o.beforeSeconds + o.outageSeconds) * 1000 - Date.now()));
    } else {
      await sleep(o.outageSeconds * 1000);
    }
    const queuedAtReturn = dirBytes(queueDir);
    const clearHits = scanForClear(queueDir, CLEAR_NEEDLES);
    await collector.restart();
    const back = Date.now();
    log(`outage: Collector back; queue ${(queuedAtReturn / 2 ** 20).toFixed(1)} MiB on disk`);
    await traffic;
    const report = await awaitDelivery(collector, r, lines, o.drainTimeoutMs);
    // From the Collector's return to the last line at the Collector (traffic goes on for afterSeconds of it).
    const drainSeconds = (Date.now() - back) / 1000;
    const droppedRecords = await r.meshtail.metric('meshtail_exporter_dropped_records_total');
    sampler.stop = true;
    await sampling;
    const meshtailLog = r.meshtail.log();
    const exit = await r.meshtail.stop();
    return {
      lines,
      report,
      peakRssMiB: sampler.rss,
      peakQueueBytes: sampler.queue,
      drainSeconds: Math.max(0, drainSeconds),
      beforeOutage,
      droppedRecords,
      exit,
      queueFiles: listFiles(queueDir),
      clearHits,
      meshtailLog,
    };
  } finally {
    sampler.stop = true;
    await run?.meshtail.stop('SIGKILL');
    await collector.stop();
  }
}

/** Every file under `dir`, recursively. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

/** Files under `dir` that contain one of `needles` in clear. */
export function scanForClear(dir: string, needles: string[]): string[] {
  const hits: string[] = [];
  for (const f of listFiles(dir)) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(f);
    } catch {
      continue;
    }
    for (const n of needles) if (bytes.includes(n)) hits.push(`${f}: ${n}`);
  }
  return hits;
}

function dirBytes(dir: string): number {
  let sum = 0;
  for (const f of listFiles(dir)) {
    try {
      sum += statSync(f).size;
    } catch {
      // deleted while listing
    }
  }
  return sum;
}

function rssMiB(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
