// The raw path end to end: filelog read → worker pool (CRI decode, OTLP encode) → otlp_grpc → the
// real OpenTelemetry Collector. Seeded Istio access logs (agent/demo), CRI-wrapped, ~50 pod files;
// `meshtail run` as a child process with start_at: beginning and otherwise default options.
// Reports lines/s (spawn until the Collector has every line), CPU seconds per million lines and
// peak RSS of the meshtail process, and end-to-end latency of single appended lines.
// Run: node bench/raw-path.bench.ts [--lines 1000000] [--probes 20]   (Node 24; needs the Collector
// from scripts/build-otelcol.sh). Results: bench/RESULTS.md.
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Collector, requireCollector } from '../test/support/collector.ts';
import { freePort } from '../test/support/free-port.ts';
import { writeMeshtailConfig } from '../test/support/meshtail-config.ts';
import { MeshtailProcess } from '../test/support/meshtail-process.ts';
import { writeIstioPodLogs } from './lib/istio-pod-logs.ts';
import { OutputCounter } from './lib/output-counter.ts';
import { cpuSeconds, machine, peakRssMiB } from './lib/proc-stats.ts';
import { git, round, sleep } from './lib/run-info.ts';

const { values } = parseArgs({
  options: { lines: { type: 'string', default: '1000000' }, probes: { type: 'string', default: '20' } },
});
const LINES = Number(values.lines);
const PROBES = Number(values.probes);
const POLL_INTERVAL = '200ms'; // filelog's default: it bounds the latency of a single line

requireCollector();

const dir = mkdtempSync(join(tmpdir(), 'meshtail-bench-'));
let collector: Collector | undefined;
let meshtail: MeshtailProcess | undefined;
try {
  const box = machine();
  const generated = performance.now();
  const logs = writeIstioPodLogs(join(dir, 'node'), LINES);
  const generateMs = performance.now() - generated;
  collector = await Collector.start(join(dir, 'collector'));
  const adminPort = await freePort();
  const config = writeMeshtailConfig(join(dir, 'meshtail.yaml'), {
    include: [logs.include],
    exporter: { id: 'otlp_grpc', config: { endpoint: collector.grpcEndpoint, tls: { insecure: true } } },
    dataDir: join(dir, 'state'),
    adminPort,
    pollInterval: POLL_INTERVAL,
  });

  const counter = new OutputCounter();
  const t0 = performance.now();
  meshtail = await MeshtailProcess.start(config, adminPort, join(dir, 'meshtail.log'));
  const ready = performance.now();
  let first = 0;
  const deadline = Date.now() + 15 * 60_000;
  while (counter.poll(collector.outputs) < LINES && Date.now() < deadline) {
    if (!first && counter.records > 0) first = performance.now();
    if (!meshtail.running) throw new Error(`meshtail exited:\n${meshtail.log().slice(-3000)}`);
    await sleep(50);
  }
  const t1 = performance.now();
  if (counter.records < LINES) throw new Error(`only ${counter.records} of ${LINES} lines arrived`);
  const cpu = cpuSeconds(meshtail.pid);
  const rss = peakRssMiB(meshtail.pid);
  // The peer shares the machine: its CPU explains part of what the agent did not get.
  const collectorCpu = cpuSeconds(collector.pid!);

  // Latency: one line at a time into a quiet pipeline, timed until the Collector has written it.
  const latencies: number[] = [];
  for (let i = 0; i < PROBES; i++) {
    const marker = `probe-${i}-${process.pid}-${Date.now()}`;
    counter.watch(marker);
    const sent = performance.now();
    appendFileSync(logs.probeFile, `2026-11-25T13:00:00.000000000Z stdout F ${marker}\n`);
    const end = Date.now() + 10_000;
    while (!counter.found.has(marker) && Date.now() < end) {
      counter.poll(collector.outputs);
      await sleep(2);
    }
    const at = counter.found.get(marker);
    if (at !== undefined) latencies.push(at - sent);
    await sleep(50 + Math.random() * 200); // land at varied points of the poll cycle
  }
  const exit = await meshtail.stop('SIGTERM');

  const seconds = (t1 - t0) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
  const commit = git('rev-parse', '--short', 'HEAD');
  const dirty = git('status', '--porcelain', '--untracked-files=no') ? '+dirty' : '';
  const result = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' '),
    command: `node bench/raw-path.bench.ts --lines ${LINES}`,
    node: process.version,
    nproc: box.nproc,
    cpu: box.cpu,
    loadBefore: box.load,
    commit: commit + dirty,
    lines: LINES,
    pods: logs.pods,
    inputMiB: round(logs.bytes / 2 ** 20, 1),
    generateSeconds: round(generateMs / 1000, 1),
    startupSeconds: round((ready - t0) / 1000, 2),
    firstRecordSeconds: round((first - t0) / 1000, 2),
    seconds: round(seconds, 2),
    linesPerSecond: Math.round(LINES / seconds),
    // From the first record at the Collector to the last: the rate without Node and pool startup.
    steadyLinesPerSecond: Math.round(LINES / ((t1 - first) / 1000)),
    cpuSecondsPerMillion: round((cpu / LINES) * 1e6, 1),
    cpuUtilization: round(cpu / seconds, 2),
    peakRssMiB: Math.round(rss),
    collectorCpuSeconds: round(collectorCpu, 1),
    latencyMs: {
      p50: round(pct(0.5), 0),
      p95: round(pct(0.95), 0),
      max: round(sorted.at(-1) ?? Number.NaN, 0),
    },
    probesArrived: `${latencies.length}/${PROBES}`,
    exit: exit.code,
  };
  console.log(JSON.stringify(result, null, 2));
  console.log(
    `| ${result.date} | \`${result.command}\` | ${result.node} | ${result.nproc} × ${result.cpu} | ${result.commit} | ` +
      `${result.linesPerSecond.toLocaleString('en')} | ${result.cpuSecondsPerMillion} | ${result.peakRssMiB} | ` +
      `${result.latencyMs.p50} / ${result.latencyMs.p95} / ${result.latencyMs.max} |`,
  );
} finally {
  await meshtail?.stop('SIGKILL');
  await collector?.stop();
  rmSync(dir, { recursive: true, force: true });
}
