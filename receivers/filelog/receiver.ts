// The filelog receiver: lists files by glob on every poll (the source of truth), tails each from
// its checkpoint, sends whole lines as batches and commits offsets once the pipelines delivered.
import { globSync, stat } from 'node:fs';
import { join } from 'node:path';
import type { BatchConsumer, Component, ComponentSettings } from '../../agent/component.ts';
import type { CounterHandle } from '../../agent/telemetry/self-metrics.ts';
import { CheckpointStore, type FileCheckpoint, identity } from './checkpoint.ts';
import type { FilelogConfig } from './config.ts';
import { readLines } from './file-reader.ts';
import { resourceFromPath } from './path-resource.ts';
import { TrackedFile } from './tracked-file.ts';

const DECODER = new URL('./decoder.ts', import.meta.url).href;

export class FilelogReceiver implements Component {
  readonly #s: ComponentSettings;
  readonly #c: FilelogConfig;
  readonly #next: BatchConsumer;
  readonly #store: CheckpointStore;
  readonly #files = new Map<string, TrackedFile>();
  #saved: Map<string, FileCheckpoint> | undefined;
  #firstStart = false;
  #timer: NodeJS.Timeout | undefined;
  #checkpointTimer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #stopped = false;
  readonly #inflight = new Set<Promise<void>>();
  readonly #errors: CounterHandle;

  constructor(settings: ComponentSettings, config: FilelogConfig, next: BatchConsumer) {
    this.#s = settings;
    this.#c = config;
    this.#next = next;
    this.#store = new CheckpointStore(
      join(settings.dataDir, 'receivers', settings.id.replace('/', '_'), 'checkpoints.json'),
    );
    this.#errors = settings.metrics.counter('meshtail_receiver_errors_total', 'Read errors, by receiver.', [
      'receiver',
    ]);
  }

  async start(): Promise<void> {
    this.#saved = this.#store.load();
    this.#firstStart = this.#saved === undefined;
    await this.#poll();
    this.#firstStart = false;
    this.#schedule();
    this.#checkpointTimer = setInterval(() => this.#checkpoint(), this.#c.checkpoint_interval);
    this.#checkpointTimer.unref();
  }

  async shutdown(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearInterval(this.#checkpointTimer);
    await this.#polling;
    // What was read is delivered by the pipelines (the agent bounds this wait); then the offsets are final.
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
    this.#checkpoint();
  }

  /** Persists acknowledged offsets: periodically, and once more at shutdown. */
  #checkpoint(): void {
    const list: FileCheckpoint[] = [];
    for (const f of this.#files.values())
      list.push({ path: f.path, dev: f.dev, ino: f.ino, offset: f.acked.committed });
    try {
      this.#store.save(list);
    } catch (err) {
      this.#errors.inc({ receiver: this.#s.id });
      this.#s.logger.error({ err: String(err) }, 'checkpoint write failed');
    }
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#polling = this.#poll().finally(() => this.#schedule());
    }, this.#c.poll_interval);
  }

  async #poll(): Promise<void> {
    const paths = new Set(globSync(this.#c.include, { exclude: this.#c.exclude }));
    for (const path of paths) await this.#discover(path);
    for (const f of [...this.#files.values()]) {
      if (this.#stopped) break;
      await this.#readFile(f);
    }
  }

  async #discover(path: string): Promise<void> {
    const st = await new Promise<import('node:fs').Stats | undefined>((resolve) =>
      stat(path, (err, s) => resolve(err ? undefined : s)),
    );
    if (!st?.isFile()) return;
    const id = identity(st.dev, st.ino);
    if (this.#files.has(id)) return;
    for (const f of this.#files.values()) if (f.path === path) f.rotated = true;
    const saved = this.#saved?.get(id);
    const startAtEnd = this.#firstStart && this.#c.start_at === 'end';
    try {
      const file = await TrackedFile.open(path, (s) => (saved ? saved.offset : startAtEnd ? s.size : 0));
      this.#files.set(id, file);
    } catch (err) {
      this.#errors.inc({ receiver: this.#s.id });
      this.#s.logger.warn({ path, err: String(err) }, 'cannot open file');
    }
  }

  async #readFile(f: TrackedFile): Promise<void> {
    let size = await f.size();
    if (size < f.offset) {
      this.#s.logger.warn({ path: f.path }, 'file truncated; reading it again from the start');
      f.offset = 0;
      f.acked.reset(0);
    }
    const resource = resourceFromPath(f.path);
    const attributes = { 'log.file.path': f.path };
    const decoder = {
      module: DECODER,
      options: { format: this.#c.format, maxLineSize: this.#c.max_line_size },
    };
    while (!this.#stopped) {
      const chunk = await readLines(f.fd, f.offset, size, this.#c.read_buffer_size, this.#c.max_line_size);
      if (!chunk) break;
      f.offset = chunk.end;
      const delivered = f.acked.track(chunk.end);
      const observed = BigInt(Date.now()) * 1_000_000n;
      const delivery = await this.#next.consume({
        data: chunk.data,
        resource,
        attributes,
        decoder,
        observedTimeUnixNano: observed,
      });
      const settled = delivery.done.then(delivered, delivered);
      this.#inflight.add(settled);
      settled.then(() => this.#inflight.delete(settled));
      if (f.offset >= size) size = await f.size();
    }
    if (f.rotated && f.offset >= size && f.acked.inFlight === 0) {
      this.#files.delete(identity(f.dev, f.ino));
      await f.close();
    }
  }
}
