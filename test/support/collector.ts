// The real OpenTelemetry Collector (scripts/build-otelcol.sh) as the OTLP peer of integration
// tests and benchmarks: otlp receiver (grpc + http on free loopback ports) → file exporter, for the
// logs, metrics and traces pipelines. It can be SIGKILLed and restarted on the same ports; every
// incarnation writes its own output file, and `output` reads them all incrementally.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Exit, stopChild, track } from './child-processes.ts';
import { OutputReader, type ReceivedLog } from './collector-output.ts';
import { freePort, waitForPort } from './free-port.ts';
import { requirePeer } from './peers.ts';

const BUILD_SCRIPT = fileURLToPath(new URL('../../scripts/build-otelcol.sh', import.meta.url));
let built: string | undefined;

/**
 * Where scripts/build-otelcol.sh leaves the binary (MESHTAIL_OTELCOL overrides). The script names it
 * by a hash of its manifest, so it is asked (`--print-path`, no build) rather than guessed.
 */
export function collectorBinary(): string {
  if (process.env.MESHTAIL_OTELCOL) return process.env.MESHTAIL_OTELCOL;
  built ??= execFileSync('bash', [BUILD_SCRIPT, '--print-path'], { encoding: 'utf8' }).trim();
  return built;
}

/**
 * `plain`: otlp → file. `tenant-header`: the otlp receiver keeps request metadata and the contrib
 * resource processor copies the X-Scope-OrgID header into the `received.x-scope-orgid` resource
 * attribute of what the request carried (absent when the request had no header).
 */
export type CollectorVariant = 'plain' | 'tenant-header';

export const RECEIVED_TENANT_ATTRIBUTE = 'received.x-scope-orgid';

/** The Collector's binary; throws, naming the build script, when it has not been built. */
export function requireCollector(): string {
  return requirePeer(
    'the OpenTelemetry Collector',
    [collectorBinary()],
    'build it with: bash scripts/build-otelcol.sh',
  );
}

const START_TIMEOUT_MS = 30_000;

export class Collector {
  readonly dir: string;
  readonly grpcPort: number;
  readonly httpPort: number;
  /** Reads every incarnation's output file. */
  readonly output = new OutputReader();
  readonly #outputs: string[] = [];
  readonly #variant: CollectorVariant;
  #child: ChildProcess | undefined;
  #exited: Promise<Exit> = Promise.resolve({ code: 0, signal: null });

  private constructor(dir: string, grpcPort: number, httpPort: number, variant: CollectorVariant) {
    this.dir = dir;
    this.#variant = variant;
    this.grpcPort = grpcPort;
    this.httpPort = httpPort;
  }

  static async start(dir: string, variant: CollectorVariant = 'plain'): Promise<Collector> {
    mkdirSync(dir, { recursive: true });
    const collector = new Collector(dir, await freePort(), await freePort(), variant);
    await collector.#launch();
    return collector;
  }

  /** host:port for otlp_grpc. */
  get grpcEndpoint(): string {
    return `127.0.0.1:${this.grpcPort}`;
  }

  /** Base URL for otlp_http. */
  get httpEndpoint(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get outputs(): readonly string[] {
    return this.#outputs;
  }

  /** Reads new output; returns the number of log records received so far. */
  poll(visit?: (r: ReceivedLog) => void): number {
    return this.output.poll(this.#outputs, visit);
  }

  /** Polls until `count` records arrived or `timeoutMs` passed; returns the count reached. */
  async waitForRecords(
    count: number,
    timeoutMs: number,
    visit?: (r: ReceivedLog) => void,
    intervalMs = 100,
  ): Promise<number> {
    const end = Date.now() + timeoutMs;
    while (this.poll(visit) < count && Date.now() < end) await sleep(intervalMs);
    return this.output.records;
  }

  /** SIGKILL: no flush, no goodbye, as in a crash or an OOM kill. */
  async kill(): Promise<void> {
    if (this.#child) await stopChild(this.#child, this.#exited, 'SIGKILL');
  }

  /** SIGSTOP: the Collector holds connections open and answers nothing, as a hung backend does. */
  pause(): void {
    this.#child?.kill('SIGSTOP');
  }

  /** SIGCONT after pause(). */
  resume(): void {
    this.#child?.kill('SIGCONT');
  }

  /** Starts a new incarnation on the same ports. */
  async restart(): Promise<void> {
    await this.kill();
    await this.#launch();
  }

  async stop(): Promise<void> {
    this.resume();
    if (this.#child) await stopChild(this.#child, this.#exited, 'SIGTERM', 5000);
  }

  async #launch(): Promise<void> {
    const n = this.#outputs.length;
    const out = join(this.dir, `collector-out-${n}.jsonl`);
    const config = join(this.dir, `collector-${n}.yaml`);
    const text =
      this.#variant === 'tenant-header'
        ? tenantHeaderConfig(this.grpcPort, this.httpPort, out)
        : collectorConfig(this.grpcPort, this.httpPort, out);
    writeFileSync(config, text);
    const log = openSync(join(this.dir, `collector-${n}.log`), 'w');
    const child = spawn(collectorBinary(), ['--config', `file:${config}`], {
      stdio: ['ignore', log, log],
    });
    this.#child = child;
    this.#exited = track(child);
    this.#outputs.push(out);
    const alive = () => child.exitCode === null && child.signalCode === null;
    // The Collector starts its exporters before its receivers: both ports open means it is ready.
    const ready =
      (await waitForPort(this.grpcPort, START_TIMEOUT_MS, alive)) &&
      (await waitForPort(this.httpPort, START_TIMEOUT_MS, alive));
    if (!ready) {
      await this.kill();
      throw new Error(`Collector did not listen on ${this.grpcPort}/${this.httpPort}; see ${this.dir}`);
    }
  }
}

// rotation makes the file exporter write straight to the file: without it, a 4 KiB bufio.Writer
// flushed every second would lose acknowledged records on SIGKILL (fileexporter v0.165.0,
// factory.go newFileWriter). max_megabytes is far above what a test writes, so it never rotates.
function collectorConfig(grpcPort: number, httpPort: number, out: string): string {
  return `receivers:
  otlp:
    protocols:
      grpc: { endpoint: 127.0.0.1:${grpcPort}, max_recv_msg_size_mib: 64 }
      http: { endpoint: 127.0.0.1:${httpPort} }
exporters:
  file:
    path: ${JSON.stringify(out)}
    rotation: { max_megabytes: 1000000, max_backups: 1000 }
service:
  telemetry: { metrics: { level: none }, logs: { level: warn } }
  pipelines:
    logs: { receivers: [otlp], exporters: [file] }
    metrics: { receivers: [otlp], exporters: [file] }
    traces: { receivers: [otlp], exporters: [file] }
`;
}

// include_metadata puts the request's headers in the pipeline context; no batch processor sits
// before `resource`, which would drop that context (coreinternal/attraction, from_context).
function tenantHeaderConfig(grpcPort: number, httpPort: number, out: string): string {
  return `receivers:
  otlp:
    protocols:
      grpc: { endpoint: 127.0.0.1:${grpcPort}, max_recv_msg_size_mib: 64, include_metadata: true }
      http: { endpoint: 127.0.0.1:${httpPort}, include_metadata: true }
processors:
  resource/tenant:
    attributes:
      - { key: ${RECEIVED_TENANT_ATTRIBUTE}, from_context: metadata.x-scope-orgid, action: upsert }
exporters:
  file:
    path: ${JSON.stringify(out)}
    rotation: { max_megabytes: 1000000, max_backups: 1000 }
service:
  telemetry: { metrics: { level: none }, logs: { level: warn } }
  pipelines:
    logs: { receivers: [otlp], processors: [resource/tenant], exporters: [file] }
`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
