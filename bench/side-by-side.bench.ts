// meshtail beside the OpenTelemetry Collector on the same input and the same sink, one after the
// other: CRI-wrapped Istio access logs (agent/demo's seeded bookinfo traffic) in 8 pod files, read
// from the beginning, sent as OTLP/HTTP protobuf (gzip, or zstd) to an in-process sink that counts records
// and parsed records (bench/lib/otlp-count-sink.ts). Runs:
//   collector raw      filelog + container (cri) operator
//   collector parsed   the same + regex_parser for Istio's default TEXT format
//   meshtail raw       filelog (format: cri), no processors
//   meshtail parsed    + mesh_parse
//   meshtail pipeline  + mesh_parse, rbac, redact, encrypt, anomaly
// Reports lines per CPU second of each agent's process tree (from /proc, spawn until the sink has
// every line; "steady" from the sink's first record) and the tree's peak RSS (VmHWM).
// Run: node bench/side-by-side.bench.ts [--lines 400000] [--only collector-raw,meshtail-raw]
//   [--compression gzip|zstd] (both agents; each at its default level for the codec)
// (Node 24; the Collector from scripts/build-otelcol.sh). Results: bench/RESULTS.md.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { writeActive, writeNewKey } from '../agent/kit/keyring/keyring-writer.ts';
import { stopChild, track } from '../test/support/child-processes.ts';
import { requireCollector } from '../test/support/collector.ts';
import { freePort } from '../test/support/free-port.ts';
import { MeshtailProcess } from '../test/support/meshtail-process.ts';
import { BOOKINFO_POLICY } from './lib/bookinfo-policy.ts';
import { writeIstioPodLogs } from './lib/istio-pod-logs.ts';
import { OtlpCountSink } from './lib/otlp-count-sink.ts';
import { machine, threadCpuSeconds, treeCpuSeconds, treePeakRssMiB } from './lib/proc-stats.ts';
import { git, round, sleep } from './lib/run-info.ts';

const RUNS = [
  'collector-raw',
  'collector-parsed',
  'meshtail-raw',
  'meshtail-parsed',
  'meshtail-pipeline',
] as const;
type RunName = (typeof RUNS)[number];

const { values } = parseArgs({
  options: {
    lines: { type: 'string', default: '400000' },
    only: { type: 'string', default: RUNS.join(',') },
    compression: { type: 'string', default: 'gzip' },
  },
});
const COMPRESSION = values.compression;
if (COMPRESSION !== 'gzip' && COMPRESSION !== 'zstd') throw new Error('--compression: gzip or zstd');
const LINES = Number(values.lines);
const ONLY = values.only.split(',') as RunName[];
const FILES = 8;
const POLL = '200ms';
const TIMEOUT_MS = 15 * 60_000;

// Istio's default TEXT access log format as an RE2 pattern: one named group per operator.
const ISTIO_REGEX =
  '^\\[(?P<start_time>[^\\]]+)\\] "(?P<method>\\S+) (?P<path>\\S+) (?P<protocol>[^"]+)" (?P<response_code>\\d+) ' +
  '(?P<response_flags>\\S+) (?P<response_code_details>\\S+) (?P<connection_termination_details>\\S+) ' +
  '"(?P<upstream_transport_failure_reason>[^"]*)" (?P<bytes_received>\\d+) (?P<bytes_sent>\\d+) (?P<duration>\\d+) ' +
  '(?P<upstream_service_time>\\S+) "(?P<x_forwarded_for>[^"]*)" "(?P<user_agent>[^"]*)" "(?P<request_id>[^"]*)" ' +
  '"(?P<authority>[^"]*)" "(?P<upstream_host>[^"]*)" (?P<upstream_cluster>\\S+) (?P<upstream_local_address>\\S+) ' +
  '(?P<downstream_local_address>\\S+) (?P<downstream_remote_address>\\S+) (?P<requested_server_name>\\S+) ' +
  '(?P<route_name>\\S+)$';

// Tenants by namespace, no aggregates (they would add records to the count).
interface Agent {
  pid: number;
  running(): boolean;
  log(): string;
  stop(): Promise<unknown>;
}

function collectorConfig(dir: string, include: string, endpoint: string, parsed: boolean): string {
  const storage = join(dir, 'storage');
  mkdirSync(storage, { recursive: true });
  const operators: Record<string, unknown>[] = [{ type: 'container', format: 'containerd' }];
  if (parsed) operators.push({ type: 'regex_parser', regex: ISTIO_REGEX, on_error: 'send_quiet' });
  const config = {
    extensions: { file_storage: { directory: storage } },
    receivers: {
      filelog: {
        include: [include],
        start_at: 'beginning',
        poll_interval: POLL,
        storage: 'file_storage',
        operators,
      },
    },
    processors: { batch: {} },
    exporters: { otlphttp: { endpoint, compression: COMPRESSION } },
    service: {
      extensions: ['file_storage'],
      telemetry: { metrics: { level: 'none' }, logs: { level: 'warn' } },
      pipelines: { logs: { receivers: ['filelog'], processors: ['batch'], exporters: ['otlphttp'] } },
    },
  };
  const path = join(dir, 'collector.yaml');
  writeFileSync(path, stringify(config));
  return path;
}

function meshtailConfig(
  dir: string,
  include: string,
  endpoint: string,
  adminPort: number,
  run: RunName,
): string {
  const processors: Record<string, unknown> = {};
  if (run !== 'meshtail-raw') processors.mesh_parse = {};
  if (run === 'meshtail-pipeline') {
    const keys = join(dir, 'keys');
    writeActive(keys, writeNewKey(keys));
    processors.rbac = { policy_inline: BOOKINFO_POLICY };
    processors.redact = { hash_key: 'bench-hash-key-not-secret', hash_key_id: 'bench' };
    processors.encrypt = { keyring: keys };
    processors.anomaly = {};
  }
  const config = {
    receivers: { filelog: { include: [include], start_at: 'beginning', format: 'cri', poll_interval: POLL } },
    ...(Object.keys(processors).length ? { processors } : {}),
    exporters: { otlp_http: { endpoint, compression: COMPRESSION } },
    service: {
      data_dir: join(dir, 'state'),
      telemetry: { metrics: { address: `127.0.0.1:${adminPort}` }, logs: { level: 'warn' } },
      pipelines: {
        logs: {
          receivers: ['filelog'],
          ...(Object.keys(processors).length ? { processors: Object.keys(processors) } : {}),
          exporters: ['otlp_http'],
        },
      },
    },
  };
  const path = join(dir, 'meshtail.yaml');
  writeFileSync(path, stringify(config));
  return path;
}

async function startCollector(dir: string, config: string): Promise<Agent> {
  const logFile = join(dir, 'collector.log');
  const child: ChildProcess = spawn(requireCollector(), ['--config', config], {
    stdio: ['ignore', openSync(logFile, 'w'), openSync(logFile, 'a')],
  });
  const exited = track(child);
  return {
    pid: child.pid!,
    running: () => child.exitCode === null && child.signalCode === null,
    log: () => readFileSync(logFile, 'utf8'),
    stop: () => stopChild(child, exited, 'SIGTERM'),
  };
}

async function startMeshtail(dir: string, config: string, adminPort: number): Promise<Agent> {
  const m = await MeshtailProcess.start(config, adminPort, join(dir, 'meshtail.log'));
  return { pid: m.pid, running: () => m.running, log: () => m.log(), stop: () => m.stop('SIGTERM') };
}

const root = mkdtempSync(join(tmpdir(), 'meshtail-side-'));
const sink = await OtlpCountSink.start();
try {
  const box = machine();
  const logs = writeIstioPodLogs(join(root, 'node'), LINES, 1, 8, FILES);
  const rows = [];
  for (const run of RUNS) {
    if (!ONLY.includes(run)) continue;
    const dir = join(root, run);
    mkdirSync(dir, { recursive: true });
    const collector = run.startsWith('collector');
    const parsedKey =
      run === 'collector-parsed'
        ? 'response_code'
        : run.endsWith('raw')
          ? 'log.iostream'
          : 'http.response.status_code';
    sink.reset(parsedKey);
    const load = machine().load;
    const t0 = performance.now();
    const adminPort = await freePort();
    const agent = collector
      ? await startCollector(
          dir,
          collectorConfig(dir, logs.include, sink.endpoint, run === 'collector-parsed'),
        )
      : await startMeshtail(dir, meshtailConfig(dir, logs.include, sink.endpoint, adminPort, run), adminPort);
    let first = 0;
    let firstCpu = 0;
    let firstRecords = 0;
    const deadline = Date.now() + TIMEOUT_MS;
    try {
      while (sink.records < LINES && Date.now() < deadline) {
        if (!agent.running()) throw new Error(`${run} exited:\n${agent.log().slice(-3000)}`);
        if (!first && sink.records > 0) {
          first = performance.now();
          firstCpu = treeCpuSeconds(agent.pid);
          firstRecords = sink.records;
        }
        await sleep(20);
      }
      const t1 = performance.now();
      const cpu = treeCpuSeconds(agent.pid);
      const rss = treePeakRssMiB(agent.pid);
      const threads = Object.fromEntries(
        Object.entries(threadCpuSeconds(agent.pid)).map(([name, seconds]) => [name, round(seconds, 2)]),
      );
      await sleep(1000); // anything more (duplicates, extra records) shows in the count
      const row = {
        run,
        lines: LINES,
        received: sink.records,
        parsed: sink.parsed,
        parsedKey,
        seconds: round((t1 - t0) / 1000, 2),
        cpuSeconds: round(cpu, 2),
        linesPerCpuSecond: Math.round(LINES / cpu),
        steadyLinesPerCpuSecond: Math.round((LINES - firstRecords) / (cpu - firstCpu)),
        peakRssMiB: Math.round(rss),
        load1: load.split(' ')[0],
        compression: COMPRESSION,
        threads,
      };
      rows.push(row);
      console.error(JSON.stringify(row));
      if (sink.records < LINES) throw new Error(`${run}: only ${sink.records} of ${LINES} lines arrived`);
    } finally {
      await agent.stop();
    }
  }
  const commit =
    git('rev-parse', '--short', 'HEAD') +
    (git('status', '--porcelain', '--untracked-files=no') ? '+dirty' : '');
  console.log(
    `\n${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, node ${process.version}, ${box.nproc} × ${box.cpu}, ` +
      `commit ${commit}, --compression ${COMPRESSION}, ${LINES} lines (${logs.stdoutLines} access lines), ${round(logs.bytes / 2 ** 20, 1)} MiB in ${logs.pods} files\n`,
  );
  console.log(
    '| run | load (1 min) | received | parsed | lines/CPU-s | steady lines/CPU-s | CPU s | wall s | peak RSS MiB |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows)
    console.log(
      `| ${r.run} | ${r.load1} | ${r.received.toLocaleString('en')} | ${r.parsed.toLocaleString('en')} | ` +
        `${r.linesPerCpuSecond.toLocaleString('en')} | ${r.steadyLinesPerCpuSecond.toLocaleString('en')} | ` +
        `${r.cpuSeconds} | ${r.seconds} | ${r.peakRssMiB} |`,
    );
} finally {
  await sink.close();
  rmSync(root, { recursive: true, force: true });
}
