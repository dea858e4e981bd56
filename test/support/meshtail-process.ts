// `meshtail run -c FILE` as a child process, the way a user runs it: the same Node binary as the
// test, the CLI from the source tree. Its admin server gives readiness and /metrics.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Exit, stopChild, track } from './child-processes.ts';

export const CLI = fileURLToPath(new URL('../../agent/cli.ts', import.meta.url));

/** One CLI command run to its end (validate, decrypt, keys, --help), `input` on its stdin. */
export function runCli(args: string[], input?: Buffer) {
  return spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 << 20,
    ...(input && { input }),
  });
}

export class MeshtailProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  readonly adminPort: number;
  readonly logFile: string;

  private constructor(child: ChildProcess, adminPort: number, logFile: string) {
    this.child = child;
    this.exited = track(child);
    this.adminPort = adminPort;
    this.logFile = logFile;
  }

  /** Starts `meshtail run -c config` with stdout+stderr to `logFile`; resolves once /readyz says so. */
  static async start(config: string, adminPort: number, logFile: string): Promise<MeshtailProcess> {
    const log = openSync(logFile, 'w');
    const child = spawn(process.execPath, [CLI, 'run', '-c', config], { stdio: ['ignore', log, log] });
    const m = new MeshtailProcess(child, adminPort, logFile);
    const end = Date.now() + 30_000;
    while (Date.now() < end && m.running) {
      if ((await m.#get('/readyz'))?.status === 200) return m;
      await new Promise((r) => setTimeout(r, 50));
    }
    await m.stop('SIGKILL');
    throw new Error(`meshtail did not become ready:\n${m.log().slice(-4000)}`);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The sum of a counter or gauge over all its label sets, from /metrics. */
  async metric(name: string): Promise<number> {
    return sumMetric(await this.metrics(), name);
  }

  /** /metrics as Prometheus text. */
  async metrics(): Promise<string> {
    const res = await this.#get('/metrics');
    if (res?.status !== 200) throw new Error(`/metrics answered ${res?.status ?? 'nothing'}`);
    return res.text();
  }

  stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 30_000): Promise<Exit> {
    return stopChild(this.child, this.exited, signal, graceMs);
  }

  log(): string {
    return readFileSync(this.logFile, 'utf8');
  }

  async #get(path: string): Promise<Response | undefined> {
    try {
      return await fetch(`http://127.0.0.1:${this.adminPort}${path}`, { signal: AbortSignal.timeout(2000) });
    } catch {
      return undefined;
    }
  }
}

/** Sums the samples of `name` in Prometheus text, whatever their labels. */
export function sumMetric(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    sum += Number(rest.slice(rest.lastIndexOf(' ') + 1));
  }
  return sum;
}
