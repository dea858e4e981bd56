// Jaeger v2 (scripts/build-jaeger.sh) as the traces backend of end-to-end tests: in-memory storage,
// OTLP gRPC in, the query API out, every port on 127.0.0.1 and chosen free. Stopped by its pid.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Exit, stopChild, track } from './child-processes.ts';
import { freePort, waitForPort } from './free-port.ts';
import { requirePeer } from './peers.ts';

const BUILD_SCRIPT = fileURLToPath(new URL('../../scripts/build-jaeger.sh', import.meta.url));

/** Where scripts/build-jaeger.sh leaves the binary (MESHTAIL_JAEGER overrides); asked, not built. */
export function jaegerBinary(): string {
  if (process.env.MESHTAIL_JAEGER) return process.env.MESHTAIL_JAEGER;
  return execFileSync('bash', [BUILD_SCRIPT, '--print-path'], { encoding: 'utf8' }).trim();
}

/** Jaeger's binary; throws, naming the build script, when it has not been built. */
export function requireJaeger(): string {
  return requirePeer('Jaeger v2', [jaegerBinary()], 'build it with: bash scripts/build-jaeger.sh');
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: { refType: string; traceID: string; spanID: string }[];
  processID: string;
  tags: { key: string; value: unknown }[];
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string }>;
}

export class Jaeger {
  readonly dir: string;
  readonly otlpGrpcPort: number;
  readonly queryPort: number;
  readonly #child: ChildProcess;
  readonly #exited: Promise<Exit>;

  private constructor(dir: string, otlp: number, query: number, child: ChildProcess) {
    this.dir = dir;
    this.otlpGrpcPort = otlp;
    this.queryPort = query;
    this.#child = child;
    this.#exited = track(child);
  }

  static async start(dir: string): Promise<Jaeger> {
    mkdirSync(dir, { recursive: true });
    const [otlp, queryHttp, queryGrpc, health] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const config = join(dir, 'jaeger.yaml');
    writeFileSync(config, jaegerConfig(otlp, queryHttp, queryGrpc, health));
    const log = openSync(join(dir, 'jaeger.log'), 'w');
    const child = spawn(jaegerBinary(), ['--config', `file:${config}`], { stdio: ['ignore', log, log] });
    const j = new Jaeger(dir, otlp, queryHttp, child);
    const alive = () => child.exitCode === null && child.signalCode === null;
    const ready = (await waitForPort(otlp, 30_000, alive)) && (await waitForPort(queryHttp, 30_000, alive));
    if (!ready) {
      await j.stop();
      throw new Error(`Jaeger did not listen on ${otlp}/${queryHttp}; see ${join(dir, 'jaeger.log')}`);
    }
    return j;
  }

  get otlpGrpcEndpoint(): string {
    return `127.0.0.1:${this.otlpGrpcPort}`;
  }

  async get<T>(path: string): Promise<T | undefined> {
    try {
      const res = await fetch(`http://127.0.0.1:${this.queryPort}${path}`, {
        signal: AbortSignal.timeout(5000),
      });
      return res.ok ? ((await res.json()) as T) : undefined;
    } catch {
      return undefined;
    }
  }

  async services(): Promise<string[]> {
    return (await this.get<{ data: string[] | null }>('/api/services'))?.data ?? [];
  }

  async traces(service: string, limit = 2000): Promise<JaegerTrace[]> {
    const q = `/api/traces?service=${encodeURIComponent(service)}&limit=${limit}&lookback=2d`;
    return (await this.get<{ data: JaegerTrace[] | null }>(q))?.data ?? [];
  }

  async trace(id: string): Promise<JaegerTrace | undefined> {
    return (await this.get<{ data: JaegerTrace[] | null }>(`/api/traces/${id}`))?.data?.[0];
  }

  stop(): Promise<Exit> {
    return stopChild(this.#child, this.#exited, 'SIGTERM', 5000);
  }
}

function jaegerConfig(otlp: number, queryHttp: number, queryGrpc: number, health: number): string {
  return `service:
  extensions: [jaeger_storage, jaeger_query, healthcheckv2]
  pipelines:
    traces: { receivers: [otlp], processors: [batch], exporters: [jaeger_storage_exporter] }
  telemetry: { metrics: { level: none }, logs: { level: warn } }
extensions:
  jaeger_storage: { backends: { memstore: { memory: { max_traces: 100000 } } } }
  jaeger_query:
    storage: { traces: memstore }
    http: { endpoint: 127.0.0.1:${queryHttp} }
    grpc: { endpoint: 127.0.0.1:${queryGrpc} }
  healthcheckv2: { use_v2: true, http: { endpoint: 127.0.0.1:${health} } }
receivers:
  otlp: { protocols: { grpc: { endpoint: 127.0.0.1:${otlp} } } }
processors:
  batch: { timeout: 100ms }
exporters:
  jaeger_storage_exporter: { trace_storage: memstore }
`;
}
