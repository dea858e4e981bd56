// Idle cost of the filelog receiver at node scale: 1000 pod log files
// (`<tmp>/node/pods/<ns>_<pod>_<uid>/istio-proxy/0.log`), each appended one CRI line once a second
// by one writer process, tailed by `meshtail run -c` (filelog with default options but start_at:
// beginning → otlp_grpc → the real Collector). After a warm-up, meshtail's user+system CPU over the
// measurement window from /proc/<pid>/stat, as % of one core (target: under 3 %). `--mode silent`
// starts no writer: the cost of polling 1000 files that never change, for comparison.
// Run: node bench/filelog-idle.bench.ts [--files 1000] [--seconds 60] [--warmup 15] [--mode appends|silent] [--poll 200ms] [--watch true|false] [--tick 10] [--rescan 1s] [--checkpoint 1s] [--compression gzip|none]
// (Node 24; the Collector from scripts/build-otelcol.sh). Results: bench/RESULTS.md.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stopChild, track } from '../test/support/child-processes.ts';
import { Collector, requireCollector } from '../test/support/collector.ts';
import { freePort } from '../test/support/free-port.ts';
import { writeMeshtailConfig } from '../test/support/meshtail-config.ts';
import { MeshtailProcess } from '../test/support/meshtail-process.ts';
import { OutputCounter } from './lib/output-counter.ts';
import {
  cpuSeconds,
  machine,
  peakRssMiB,
  threadCpuSeconds,
  threadUserSystemSeconds,
} from './lib/proc-stats.ts';
import { git, round, sleep } from './lib/run-info.ts';

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '15' },
    mode: { type: 'string', default: 'appends' },
    poll: { type: 'string', default: '200ms' },
    watch: { type: 'string', default: 'true' },
    tick: { type: 'string', default: '10' },
    rescan: { type: 'string', default: '' },
    checkpoint: { type: 'string', default: '' },
    compression: { type: 'string', default: '' },
  },
});
const FILES = Number(values.files);
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);
const APPENDS = values.mode !== 'silent';
const WRITER = fileURLToPath(new URL('./lib/idle-writer.ts', import.meta.url));

requireCollector();

const dir = mkdtempSync(join(tmpdir(), 'meshtail-idle-'));
let collector: Collector | undefined;
let meshtail: MeshtailProcess | undefined;
const writer = { stop: async () => {} };
try {
  const paths: string[] = [];
  for (let i = 0; i < FILES; i++) {
    const d = join(dir, 'node', 'pods', `idle_pod-${i}_0000-uid-${i}`, 'istio-proxy');
    mkdirSync(d, { recursive: true });
    paths.push(join(d, '0.log'));
    closeSync(openSync(paths.at(-1)!, 'a'));
  }
  collector = await Collector.start(join(dir, 'collector'));
  const adminPort = await freePort();
  const config = writeMeshtailConfig(join(dir, 'meshtail.yaml'), {
    include: [join(dir, 'node', 'pods', '*', 'istio-proxy', '*.log')],
    exporter: {
      id: 'otlp_grpc',
      config: {
        endpoint: collector.grpcEndpoint,
        tls: { insecure: true },
        ...(values.compression ? { compression: values.compression } : {}), // gzip is the default
      },
    },
    dataDir: join(dir, 'state'),
    adminPort,
    pollInterval: values.poll!, // 200ms is the default
    filelog: {
      watch_changes: values.watch !== 'false', // true is the default
      ...(values.rescan ? { rescan_interval: values.rescan } : {}),
      ...(values.checkpoint ? { checkpoint_interval: values.checkpoint } : {}),
    },
  });
  meshtail = await MeshtailProcess.start(config, adminPort, join(dir, 'meshtail.log'));
  const child = spawn(process.execPath, [WRITER, JSON.stringify(APPENDS ? paths : []), values.tick!], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = track(child);
  writer.stop = async () => {
    await stopChild(child, exited, 'SIGTERM', 5000);
  };

  const counter = new OutputCounter();
  await sleep(WARMUP * 1000);
  const box = machine();
  const before = {
    at: performance.now(),
    cpu: cpuSeconds(meshtail.pid),
    threads: threadCpuSeconds(meshtail.pid),
    split: threadUserSystemSeconds(meshtail.pid),
    writer: cpuSeconds(child.pid!),
    collector: cpuSeconds(collector.pid!),
    records: counter.poll(collector.outputs),
    sends: await meshtail.metric('meshtail_exporter_send_duration_seconds_count'),
    lines: await meshtail.metric('meshtail_receiver_read_lines_total'),
  };
  await sleep(SECONDS * 1000);
  const wall = (performance.now() - before.at) / 1000;
  const cpu = cpuSeconds(meshtail.pid) - before.cpu;
  const threadsNow = threadCpuSeconds(meshtail.pid);
  const threads: Record<string, number> = {};
  for (const [name, s] of Object.entries(threadsNow))
    threads[name] = round(
      ((s - (before.threads[name] ?? 0)) / ((performance.now() - before.at) / 1000)) * 100,
      2,
    );
  const splitNow = threadUserSystemSeconds(meshtail.pid);
  const userSystem: Record<string, string> = {};
  for (const [name, t] of Object.entries(splitNow)) {
    const b = before.split[name] ?? { user: 0, system: 0 };
    const pct = (s: number) => round((s / ((performance.now() - before.at) / 1000)) * 100, 2);
    userSystem[name] = `${pct(t.user - b.user)} / ${pct(t.system - b.system)}`;
  }
  const writerCpu = cpuSeconds(child.pid!) - before.writer;
  const collectorCpu = cpuSeconds(collector.pid!) - before.collector;
  const records = counter.poll(collector.outputs) - before.records;
  const sends = (await meshtail.metric('meshtail_exporter_send_duration_seconds_count')) - before.sends;
  const lines = (await meshtail.metric('meshtail_receiver_read_lines_total')) - before.lines;
  const rss = peakRssMiB(meshtail.pid);
  const tracked = await meshtail.metric('meshtail_receiver_files_tracked');
  const open = await meshtail.metric('meshtail_receiver_files_open');
  const exit = await meshtail.stop('SIGTERM');

  const commit = git('rev-parse', '--short', 'HEAD');
  const dirty = git('status', '--porcelain', '--untracked-files=no', '--', 'receivers', 'agent', 'exporters')
    .split('\n')
    .map((l) => l.replace(/^\s*\S+\s+/, ''))
    .filter(Boolean);
  const result = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' '),
    command: `node bench/filelog-idle.bench.ts --files ${FILES} --seconds ${SECONDS} --warmup ${WARMUP} --mode ${values.mode} --poll ${values.poll} --watch ${values.watch} --tick ${values.tick}${values.rescan ? ` --rescan ${values.rescan}` : ''}${values.checkpoint ? ` --checkpoint ${values.checkpoint}` : ''}${values.compression ? ` --compression ${values.compression}` : ''}`,
    node: process.version,
    nproc: box.nproc,
    cpu: box.cpu,
    load: box.load,
    commit: commit + (dirty.length ? '+dirty' : ''),
    dirtyFiles: dirty,
    files: FILES,
    tracked,
    open,
    seconds: round(wall, 1),
    cpuSeconds: round(cpu, 2),
    cpuPercentOfOneCore: round((cpu / wall) * 100, 2),
    /** % of one core by thread name: the main thread is "node" (or the script's name), workers "WorkerThread". */
    threadCpuPercent: threads,
    /** The same split into user / system (kernel) time, % of one core. */
    threadUserSystemPercent: userSystem,
    linesReadPerSecond: Math.round(lines / wall),
    recordsPerSecondAtCollector: Math.round(records / wall),
    exportsPerSecond: Math.round(sends / wall),
    writerCpuPercent: round((writerCpu / wall) * 100, 2),
    collectorCpuPercent: round((collectorCpu / wall) * 100, 2),
    peakRssMiB: Math.round(rss),
    exit: exit.code,
  };
  console.log(JSON.stringify(result, null, 2));
  console.log(
    `| ${result.date} | \`${result.command}\` | ${result.node} | ${result.nproc} × ${result.cpu} | ${result.commit} | ` +
      `${result.load.split(' ')[0]} | ${values.mode} | ${result.files} | **${result.cpuPercentOfOneCore} %** | ` +
      `${threads.MainThread ?? '–'} / ${threads.WorkerThread ?? '–'} / ${threads.V8Worker ?? '–'} | ` +
      `${result.recordsPerSecondAtCollector} | ${result.exportsPerSecond} | ` +
      `${result.writerCpuPercent} % | ${result.collectorCpuPercent} % | ${result.peakRssMiB} |`,
  );
} finally {
  await writer.stop();
  await meshtail?.stop('SIGKILL');
  await collector?.stop();
  rmSync(dir, { recursive: true, force: true });
}
