// Writes the simulated mesh's sidecar logs where the kubelet keeps them,
// `<root>/var/log/pods/<ns>_<pod>_<uid>/istio-proxy/0.log`, CRI-framed, and rotates them the
// kubelet's way (rename to `0.log.<yyyymmdd-hhmmss>`, start a new `0.log`) when one passes
// `rotateBytes`. Every line is counted once it is in the file: the demo's ground truth.
// Before the agent starts, each pod already has some history (what it logged earlier), so the
// receiver's start_at: beginning has a backfill to show.
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { AccessLogFormat } from './access-log-line.ts';
import { createTraffic, criWrap, type IstioTraffic, type MeshPod } from './istio-traffic.ts';
import {
  DEFAULT_SCHEDULE,
  modeIn,
  type Phase,
  phaseAt,
  rateIn,
  type TrafficSchedule,
} from './traffic-schedule.ts';

export interface MeshSimulatorOptions {
  /** Directory that stands in for the node's `/`. */
  root: string;
  seed?: number;
  replicas?: number;
  schedule?: TrafficSchedule;
  /** The kubelet's containerLogMaxSize, small so that a short demo rotates. */
  rotateBytes?: number;
  tickMs?: number;
  /** Bytes of history written before start() returns, on average per pod; 0 for none. */
  historyBytes?: number;
  /** The access-log format the sidecars are configured with; the demo declares it to mesh_parse. */
  format?: AccessLogFormat;
}

interface PodLog {
  dir: string;
  fd: number;
  bytes: number;
}

export class MeshSimulator {
  readonly #options: Required<MeshSimulatorOptions>;
  readonly #traffic: IstioTraffic;
  readonly #logs = new Map<MeshPod, PodLog>();
  #timer: NodeJS.Timeout | undefined;
  #startedAt = 0;
  #due = 0;
  #lines = 0;
  #rotations = 0;
  #phase: Phase = 'steady';

  constructor(options: MeshSimulatorOptions) {
    this.#options = {
      seed: 1,
      replicas: 1,
      schedule: DEFAULT_SCHEDULE,
      // ~550 audit-format lines: rotates within seconds, yet a file outlives many 100 ms polls
      // even in a burst.
      rotateBytes: 256 * 1024,
      tickMs: 50,
      historyBytes: 1024 * 1024,
      format: 'istio_audit',
      ...options,
    };
    const { seed, replicas, format } = this.#options;
    this.#traffic = createTraffic({ seed, replicas, format });
  }

  /**
   * The glob of every pod's logs, rotated ones included (`0.log.<stamp>`), as a node should be
   * configured: a file created and rotated while the receiver is busy elsewhere is still found under
   * its rotated name, and files already read are known by inode and not read again. Gzipped
   * rotations are never read as text.
   */
  get include(): string {
    return join(this.#options.root, 'var/log/pods/*/istio-proxy/0.log*');
  }

  get linesWritten(): number {
    return this.#lines;
  }

  get rotations(): number {
    return this.#rotations;
  }

  get phase(): Phase {
    return this.#phase;
  }

  get pods(): number {
    return this.#traffic.pods.length;
  }

  start(): void {
    for (const pod of this.#traffic.pods) {
      const dir = join(
        this.#options.root,
        'var/log/pods',
        `${pod.namespace}_${pod.name}_${pod.uid}`,
        'istio-proxy',
      );
      mkdirSync(dir, { recursive: true });
      this.#logs.set(pod, { dir, fd: openSync(join(dir, '0.log'), 'a'), bytes: 0 });
    }
    this.#writeHistory(Date.now());
    this.#startedAt = Date.now();
    this.#timer = setInterval(() => this.#tick(), this.#options.tickMs);
  }

  /** Stops writing; every counted line is in a file by then (writes are synchronous). */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    for (const log of this.#logs.values()) closeSync(log.fd);
    this.#logs.clear();
  }

  #tick(): void {
    const now = Date.now();
    this.#phase = phaseAt(this.#options.schedule, now - this.#startedAt);
    this.#due += (rateIn(this.#options.schedule, this.#phase) * this.#options.tickMs) / 1000;
    const count = Math.floor(this.#due);
    this.#due -= count;
    const mode = modeIn(this.#phase);
    const batches = new Map<MeshPod, string[]>();
    for (let i = 0; i < count; i++) {
      // Spread the tick's lines over the tick so event times stay distinct and ordered.
      const timeNs = BigInt(now) * 1_000_000n + BigInt(Math.floor((i * this.#options.tickMs * 1e6) / count));
      const { pod, line, stream } = this.#traffic.next(timeNs, mode);
      const lines = batches.get(pod) ?? [];
      if (lines.length === 0) batches.set(pod, lines);
      lines.push(criWrap(line, timeNs, stream));
    }
    for (const [pod, lines] of batches) {
      const log = this.#logs.get(pod)!;
      log.bytes += writeSync(log.fd, `${lines.join('\n')}\n`);
      this.#lines += lines.length;
      if (log.bytes >= this.#options.rotateBytes) this.#rotate(log, now);
    }
  }

  /**
   * Steady traffic at the base rate, ending about now. It does not count toward rotateBytes: it
   * stands for what a pod logged under the kubelet's usual 10 MiB limit before the demo began.
   */
  #writeHistory(now: number): void {
    const total = this.#options.historyBytes * this.pods;
    if (total <= 0) return;
    const rate = this.#options.schedule.baseRate;
    // ~480 bytes per CRI-framed audit line: start far enough back that the last line is about now.
    const stepNs = BigInt(Math.round(1e9 / rate));
    let timeNs = BigInt(now) * 1_000_000n - BigInt(Math.ceil(total / 480)) * stepNs;
    const batches = new Map<MeshPod, string[]>();
    for (let bytes = 0; bytes < total; timeNs += stepNs) {
      const { pod, line, stream } = this.#traffic.next(timeNs, 'normal');
      const framed = criWrap(line, timeNs, stream);
      bytes += framed.length + 1;
      const lines = batches.get(pod) ?? [];
      if (lines.length === 0) batches.set(pod, lines);
      lines.push(framed);
    }
    for (const [pod, lines] of batches) {
      writeSync(this.#logs.get(pod)!.fd, `${lines.join('\n')}\n`);
      this.#lines += lines.length;
    }
  }

  #rotate(log: PodLog, now: number): void {
    const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    const rotated = join(log.dir, `0.log.${stamp}`);
    // The name has one-second resolution: a second rotation within that second waits for the next.
    if (existsSync(rotated)) return;
    closeSync(log.fd);
    renameSync(join(log.dir, '0.log'), rotated);
    log.fd = openSync(join(log.dir, '0.log'), 'a');
    log.bytes = 0;
    this.#rotations++;
  }
}
