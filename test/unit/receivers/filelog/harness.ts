// Drives the filelog receiver directly: real temp files, a consumer that decodes each batch in
// process with the receiver's own decoder and acknowledges it at once (or after a delay, or when
// the test's `ack` promise resolves).
import { appendFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { BatchConsumer, RawBatch } from '../../../../agent/kit/component.ts';
import { lines } from '../../../../agent/pool/lines.ts';
import { SelfMetrics } from '../../../../agent/telemetry/self-metrics.ts';
import { filelogConfig } from '../../../../receivers/filelog/config.ts';
import { createDecoder, type DecoderOptions } from '../../../../receivers/filelog/read/decoder.ts';
import { FilelogReceiver } from '../../../../receivers/filelog/receiver.ts';
import { pathStated, stated, Watched } from '../../../../receivers/filelog/watch/change-watch.ts';

export interface Got {
  body: string;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  observed: bigint;
}

export interface Harness {
  dir: string;
  logs: string;
  got: Got[];
  bodies: () => string[];
  batches: RawBatch[];
  warnings: Record<string, unknown>[];
  metrics: SelfMetrics;
  receiver: FilelogReceiver;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A new receiver over the same directory and data_dir (a restart). */
  restart(config?: Record<string, unknown>): Harness;
}

const running: Harness[] = [];

export async function stopAll(): Promise<void> {
  for (const h of running.splice(0)) await h.stop();
}

export function harness(
  config: Record<string, unknown>,
  o: { dir?: string; delayMs?: number; got?: Got[]; ack?: () => Promise<void> } = {},
): Harness {
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'meshtail-filelog-'));
  const logs = join(dir, 'logs');
  mkdirSync(logs, { recursive: true });
  const got: Got[] = o.got ?? [];
  const batches: RawBatch[] = [];
  const warnings: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      const entry = JSON.parse(String(chunk));
      if (entry.level >= 40) warnings.push(entry);
      cb();
    },
  });
  const metrics = new SelfMetrics();
  const consumer: BatchConsumer = {
    async consume(batch) {
      batches.push(batch);
      // A joined batch carries several files' lines, each part with its own origin.
      let at = 0;
      for (const part of batch.parts ?? [{ ...batch, bytes: batch.data.length }]) {
        const data = batch.data.subarray(at, at + part.bytes);
        at += part.bytes;
        const options = part.decoder!.options as DecoderOptions;
        const out: Parameters<ReturnType<typeof createDecoder>>[1] = [];
        createDecoder(options)(lines(data), out, { observedTimeUnixNano: part.observedTimeUnixNano });
        for (const r of out)
          got.push({
            body: String(r.body),
            attributes: { ...part.attributes, ...r.attributes },
            resource: part.resource,
            observed: r.observedTimeUnixNano,
          });
      }
      const delayed = o.delayMs ? new Promise<void>((r) => setTimeout(r, o.delayMs)) : Promise.resolve();
      const done = o.ack ? delayed.then(o.ack) : delayed;
      if (o.delayMs) await delayed;
      return { done };
    },
  };
  // `$LOGS` in include/exclude patterns stands for the test's log directory.
  const at = (ps: unknown) => (ps as string[] | undefined)?.map((p) => p.replace('$LOGS', logs));
  const parsed = filelogConfig.parse({
    poll_interval: '20ms',
    checkpoint_interval: '50ms',
    flush_interval: '20ms',
    ...config,
    include: at(config.include),
    ...(config.exclude !== undefined && { exclude: at(config.exclude) }),
  });
  const receiver = new FilelogReceiver(
    {
      id: 'filelog',
      type: 'filelog',
      dataDir: join(dir, 'state'),
      logger: pino({ level: 'info' }, sink),
      metrics,
    },
    parsed,
    consumer,
  );
  const h: Harness = {
    dir,
    logs,
    got,
    bodies: () => got.map((g) => g.body),
    batches,
    warnings,
    metrics,
    receiver,
    start: () => receiver.start(),
    stop: () => receiver.shutdown(),
    restart: (c) => harness(c ?? config, { ...o, dir, got }),
  };
  running.push(h);
  return h;
}

export async function until(cond: () => boolean | Promise<boolean>, ms = 20_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!(await cond()) && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return cond();
}

export function pause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function numbered(prefix: string, from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, i) => `${prefix}-${from + i}`);
}

export function text(lines: string[]): string {
  return lines.map((l) => `${l}\n`).join('');
}

/** Calls `write` every 100 ms until the receiver polls a busy directory (change-watch.ts), at most 15 s; the gauge then. */
export async function writeUntilPolled(h: Harness, write: () => void): Promise<number> {
  let polled = 0;
  for (let i = 0; i < 150 && polled < 1; i++) {
    write();
    await pause(100);
    polled = await h.metrics.value('meshtail_receiver_directories_polled');
  }
  return polled;
}

/** Calls `write` every 100 ms, `times` times. */
export async function writeEvery100ms(times: number, write: () => void): Promise<void> {
  for (let i = 0; i < times; i++) {
    write();
    await pause(100);
  }
}

/** Appends numbered lines (`<prefix>-<n>`, numbered() order) to `path`, or to `to`; `n` counts them. */
export function numberedWriter(
  path: string,
  prefix: string,
): { n: number; write(count: number, to?: string): void } {
  const w = {
    n: 0,
    write(count: number, to = path) {
      appendFileSync(to, text(numbered(prefix, w.n, w.n + count)));
      w.n += count;
    },
  };
  return w;
}

class FakeWatched extends Watched {
  readonly path: string;
  size: number;
  probeable = false;

  constructor(path: string, size: number) {
    super();
    this.path = path;
    this.size = size;
  }
}

/** A file as change-watch.ts sees the tracker's: nothing pending, not probeable, no watch yet. */
export function fakeWatched(path: string, size = 0): Watched & { path: string; size: number } {
  const f = new FakeWatched(path, size);
  stated(f);
  pathStated(f);
  return f;
}
