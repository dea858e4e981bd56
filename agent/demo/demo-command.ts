// `meshtail demo` (`npm start`): a simulated bookinfo mesh writes Istio sidecar logs into a temp
// directory laid out like a node's /var/log/pods, the agent runs the embedded pipeline over them,
// and the view shows the counters live. At the end the exported records are read back and
// compared with the lines written: the demo proves "nothing lost" or exits 1 with the difference.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgent } from '../cli/run-command.ts';
import { defaultRegistry } from '../default-registry.ts';
import { parseDuration } from '../kit/config/units.ts';
import { createLogger } from '../telemetry/logger.ts';
import { demoPaths, loadDemoConfig } from './demo-config.ts';
import { type DemoStats, sampleStats } from './demo-stats.ts';
import { countExportedRecords, type ExportedCounts } from './export-count.ts';
import { LiveView } from './live-view.ts';
import { MeshSimulator } from './mesh-simulator.ts';
import { RecentRequests } from './recent-requests.ts';
import { backfillText } from './request-panel.ts';
import { waitForCatchUp } from './wait-for-catch-up.ts';

export interface DemoOptions {
  duration?: string;
  plain: boolean;
}

export async function runDemo(options: DemoOptions): Promise<number> {
  const durationMs = options.duration === undefined ? undefined : parseDuration(options.duration);
  if (options.duration !== undefined && !durationMs) {
    process.stderr.write(
      `meshtail demo: --duration "${options.duration}" is not a duration like 30s or 2m\n`,
    );
    return 1;
  }
  const root = mkdtempSync(join(tmpdir(), 'meshtail-demo-'));
  const simulator = new MeshSimulator({ root });
  const requests = new RecentRequests(demoPaths(root, simulator.include).exportFile);
  try {
    // Writes each pod's history first: the agent starts with a backfill (start_at: beginning).
    simulator.start();
    const config = loadDemoConfig(demoPaths(root, simulator.include));
    const running = await startAgent(config, createLogger('warn'), defaultRegistry);
    const view = new LiveView({ plain: options.plain || !process.stdout.isTTY, out: process.stdout });
    let last: DemoStats | undefined;
    const refresh = () =>
      sampleStats(running.agent, config, simulator, requests).then((s) => {
        last = s;
        view.render(s);
      });
    const timer = setInterval(() => void refresh(), 1000);
    await stopSignal(durationMs);
    clearInterval(timer);

    simulator.stop();
    // Let the receiver read what was written last before it is told to stop reading.
    await waitForCatchUp(running.agent, simulator.linesWritten);
    const drained = await running.stop();
    await refresh();
    const exported = await countExportedRecords(demoPaths(root, simulator.include).exportFile);
    // The backfill may be over before the first redraw on a fast machine: say what it read.
    if (last && last.backfill.total > 0) process.stdout.write(`\n${backfillText(last.backfill)}`);
    return summarize(simulator.linesWritten, exported, simulator.rotations, drained);
  } finally {
    simulator.stop();
    await requests.close();
    if (process.env.MESHTAIL_DEMO_KEEP === '1') process.stderr.write(`meshtail demo: kept ${root}\n`);
    else rmSync(root, { recursive: true, force: true });
  }
}

/** Resolves after `durationMs`, or on Ctrl-C / SIGTERM, whichever comes first. */
function stopSignal(durationMs: number | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    const timer = durationMs === undefined ? undefined : setTimeout(done, durationMs);
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

function summarize(written: number, counts: ExportedCounts, rotations: number, drained: boolean): number {
  const out = process.stdout;
  // Anomaly and aggregate records are the processors' own, not lines read: they are not compared.
  const exported = counts.records;
  out.write(`\nlines written: ${written}\nrecords exported: ${exported} (read back from export.jsonl)\n`);
  out.write(`anomaly records: ${counts.anomalies} (meshtail.anomaly.*, not counted as lines)\n`);
  out.write(`aggregate records: ${counts.aggregates} (rbac's manager view, not counted as lines)\n`);
  out.write(`rotations: ${rotations}\n`);
  if (!drained) out.write('warning: the agent did not drain within service.shutdown_timeout\n');
  if (written === exported) {
    out.write('nothing lost: every line written was exported exactly once\n');
    return 0;
  }
  const diff = exported - written;
  out.write(
    diff < 0
      ? `LOST: ${-diff} lines written were not exported\n`
      : `DUPLICATED: ${diff} more records exported than lines written\n`,
  );
  return 1;
}
