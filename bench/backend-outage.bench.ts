// Backend outage with the disk queue (issue 7, Done when): lines flow at --rate lines/s through
// `meshtail run` (filelog → otlp_grpc, sending_queue.storage: disk, encrypted with a keyring, fsync
// interval) into the real Collector, which is SIGKILLed for --outage seconds while lines keep coming
// (--kill9: meshtail is also SIGKILLed and restarted halfway through the outage). Then the Collector
// returns and every line must arrive. Reports lost/duplicate lines, meshtail's peak RSS (VmHWM, the
// larger of both processes with --kill9), the queue's peak size on disk and the drain time.
// Run: node bench/backend-outage.bench.ts [--rate 5000] [--outage 600] [--before 30] [--after 30] [--kill9]
// (Node 24; the Collector from scripts/build-otelcol.sh). Results: bench/RESULTS.md.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runOutage } from '../test/support/backend-outage.ts';
import { requireCollector } from '../test/support/collector.ts';
import { machine } from './lib/proc-stats.ts';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '5000' },
    outage: { type: 'string', default: '600' },
    before: { type: 'string', default: '30' },
    after: { type: 'string', default: '30' },
    kill9: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});

requireCollector();
const dir = mkdtempSync(join(tmpdir(), 'meshtail-outage-bench-'));
const started = new Date();
try {
  const r = await runOutage({
    dir,
    rate: Number(values.rate),
    beforeSeconds: Number(values.before),
    outageSeconds: Number(values.outage),
    afterSeconds: Number(values.after),
    kill9: values.kill9,
    drainTimeoutMs: 30 * 60_000,
    log: (line) => console.log(`${new Date().toISOString()} ${line}`),
  });
  const m = machine();
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim();
  } catch {}
  console.log(
    JSON.stringify(
      {
        started: started.toISOString(),
        node: process.version,
        machine: `${m.nproc} × ${m.cpu}`,
        commit,
        rate: Number(values.rate),
        outageSeconds: Number(values.outage),
        kill9: values.kill9,
        lines: r.lines,
        unique: r.report.unique,
        missing: r.report.missing,
        duplicates: r.report.duplicates,
        droppedRecords: r.droppedRecords,
        peakRssMiB: Math.round(r.peakRssMiB),
        peakQueueMiB: Math.round(r.peakQueueBytes / 2 ** 20),
        drainSeconds: Math.round(r.drainSeconds),
        clearHits: r.clearHits.length,
        exit: r.exit,
      },
      null,
      2,
    ),
  );
} finally {
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
}
