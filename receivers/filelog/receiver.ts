// The filelog receiver: each poll lists the files (discovery.ts) and applies what changed to the
// known files (identity/tracker.ts); between polls every file with new data gets turns of at most
// max_read_per_turn bytes (read/read-turn.ts). Offsets are committed once the pipelines delivered, and
// written to service.data_dir every checkpoint_interval and at shutdown (checkpoint.ts).
import { join, relative, sep } from 'node:path';
import { type FSWatcher, watch } from 'chokidar';
import type { BatchConsumer, Component, ComponentSettings } from '../../agent/kit/component.ts';
import { LOOP_CLOCK_MS, onLoopTick } from '../../agent/kit/loop-clock.ts';
import { CheckpointStore } from './checkpoint/checkpoint.ts';
import { CheckpointWriter } from './checkpoint/checkpoint-writer.ts';
import type { FilelogConfig } from './config.ts';
import { Tracker } from './identity/tracker.ts';
import { FilelogMetrics } from './metrics.ts';
import { ReadTurn } from './read/read-turn.ts';
import { type Retention, retentionOf } from './retention/retention.ts';
import type { TrackedFile } from './tracked-file.ts';
import { ChangeWatch, probeMissed } from './watch/change-watch.ts';
import { Discovery } from './watch/discovery.ts';
import { LostEventGuard } from './watch/lost-events.ts';

const PROGRESS_MS = 5000;

export class FilelogReceiver implements Component {
  readonly #settings: ComponentSettings;
  readonly #config: FilelogConfig;
  readonly #store: CheckpointStore;
  readonly #checkpoints: CheckpointWriter;
  readonly #discovery: Discovery;
  readonly #metrics: FilelogMetrics;
  readonly #reads: ReadTurn;
  readonly #retention: Retention | undefined;
  #tracker: Tracker | undefined;
  #watcher: FSWatcher | undefined;
  #loop: Promise<void> | undefined;
  #timers: NodeJS.Timeout[] = [];
  #wake: (() => void) | undefined;
  #wakePoll: (() => void) | undefined;
  #nextPoll = 0;
  #lastPoll = 0;
  #stopped = false;
  readonly #warned = new Set<string>();
  #backfill: TrackedFile[] = [];
  #stopLag: () => void = () => {};
  #lastFlush = 0;
  readonly #isStopped = () => this.#stopped;
  #changes: ChangeWatch | undefined;
  #lost: LostEventGuard | undefined;
  /** chokidar watches the directories above the files' own, once it is ready and while it has no error. */
  #upperWatched = false;

  constructor(settings: ComponentSettings, config: FilelogConfig, next: BatchConsumer) {
    this.#settings = settings;
    this.#config = config;
    const state = join(settings.dataDir, 'receivers', settings.id.replace('/', '_'));
    this.#store = new CheckpointStore(join(state, 'checkpoints.json'));
    this.#checkpoints = new CheckpointWriter(this.#store, config.checkpoint_retention, (err) => {
      this.#metrics.errors.inc(this.#metrics.labels);
      this.#settings.logger.error({ err: String(err) }, 'checkpoint write failed');
    });
    this.#discovery = new Discovery(config.include, config.exclude);
    this.#metrics = new FilelogMetrics(settings.metrics, settings.id);
    this.#reads = new ReadTurn(config, next, this.#metrics);
    this.#retention = retentionOf(config, settings, state, () =>
      this.#metrics.errors.inc(this.#metrics.labels),
    );
  }

  async start(): Promise<void> {
    if (this.#stopped || this.#tracker) return;
    const c = this.#config;
    const log = this.#settings.logger;
    // A possible copytruncate copy waits for its original's truncation to be seen: up to 5 s, since
    // a file busy in a read turn slowed by backpressure is checked only after its turn.
    const saved = this.#store.load();
    // Rotated files of an earlier run are deleted only once delivered, which a checkpoint proves.
    this.#retention?.start(saved !== undefined || c.start_at === 'beginning', Date.now());
    const watch = c.watch_changes ? this.#changeWatch() : undefined;
    this.#tracker = new Tracker({ ...c, holdMs: Math.max(5000, 10 * c.poll_interval), watch }, saved, {
      rotated: () => this.#metrics.rotations.inc(this.#metrics.labels),
      truncated: (f, why) => {
        this.#metrics.truncations.inc(this.#metrics.labels);
        log.warn({ path: f.path, why, on_truncate: c.on_truncate }, 'file truncated');
      },
      released: (f, unread) => {
        if (unread === 0) return;
        this.#metrics.givenUp.inc(this.#metrics.labels);
        log.warn(
          { path: f.path, unread, rotate_wait: c.rotate_wait },
          'rotated file given up before it was read to its end',
        );
      },
      warnOnce: (path, detail, msg) => {
        if (this.#warned.has(path)) return;
        this.#warned.add(path);
        this.#metrics.errors.inc(this.#metrics.labels);
        log.warn({ path, ...detail }, msg);
      },
      info: (detail, msg) => log.info(detail, msg),
      debug: (detail, msg) => log.debug(detail, msg),
    });
    await this.#poll(true);
    const live = this.#tracker.live;
    this.#stopLag = this.#metrics.sampleLag(() => live.values());
    this.#backfill = [...this.#tracker.live.values()].filter(
      (f) => f.backfill && f.backfill.end > f.backfill.start,
    );
    this.#watch();
    this.#lastFlush = Date.now(); // the first reads wait to be joined as later ones do
    this.#loop = this.#run();
    this.#every(c.checkpoint_interval, () => this.#checkpoint());
    if (this.#backfill.length > 0) this.#every(PROGRESS_MS, () => this.#logProgress());
  }

  async shutdown(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#retention?.stop();
    this.#stopLag();
    this.#lost?.close();
    for (const t of this.#timers) clearInterval(t);
    this.#wake?.();
    this.#wakePoll?.();
    await this.#watcher?.close().catch(() => {});
    this.#changes?.close();
    await this.#loop;
    if (!this.#tracker) return;
    await this.#reads.flush(); // reads still waiting to be joined go now
    // What was read is delivered by the pipelines (the agent bounds this wait); then the offsets are final.
    while (this.#reads.inflight.size > 0) await Promise.allSettled([...this.#reads.inflight]);
    await this.#checkpoints.idle();
    this.#checkpoint(true);
    for (const f of this.#tracker.live.values()) await this.#tracker.close(f);
  }

  /** Of the bytes present in the files found at start, how many are delivered and committed. */
  backfillProgress(): { committed: number; total: number } {
    let committed = 0;
    let total = 0;
    for (const f of this.#backfill) {
      const b = f.backfill!;
      total += b.end - b.start;
      committed += Math.min(Math.max(f.acked.committed - b.start, 0), b.end - b.start);
    }
    return { committed, total };
  }

  /**
   * Two loops: polls run on their own clock, so new files are found (and opened, which keeps their
   * bytes even if they are renamed out of the include pattern or deleted) while read turns are
   * paused by a slow pipeline; read turns run whenever some file has bytes to read.
   */
  async #run(): Promise<void> {
    const polls = this.#pollLoop();
    while (!this.#stopped) {
      const worked = await this.#turns();
      // Woken by the next poll (#pollLoop); the timer is for a poll that runs late, so that the
      // turns never wait on one for more than an interval. It never fires while polls keep time.
      if (!worked && !this.#stopped)
        await this.#sleep(this.#nextPoll - Date.now() + this.#config.poll_interval);
    }
    await polls;
  }

  async #pollLoop(): Promise<void> {
    while (!this.#stopped) {
      const wait = this.#nextPoll - Date.now();
      if (wait > 0) await this.#pause(wait);
      if (this.#stopped) break;
      await this.#poll(false);
      this.#wake?.(); // a poll may have found bytes to read
    }
  }

  /**
   * Until the next poll is due. A wait of a clock period or more rides the process's loop clock
   * (agent/kit/loop-clock.ts): the poll runs at the first tick within half a period of its
   * due time, so that one wakeup serves the clock and the poll (a timer of its own wakes the main
   * thread more often: bench/timer-wakeups.bench.ts). A poll
   * interval that is not a multiple of the period is thus kept on average, not at each poll. A
   * shorter wait (a hint brought the poll forward) gets a timer.
   */
  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      let off: (() => void) | undefined;
      const done = () => {
        clearTimeout(timer);
        off?.();
        resolve();
      };
      if (ms < LOOP_CLOCK_MS) timer = setTimeout(done, Math.max(1, ms));
      else
        off = onLoopTick(() => {
          if (Date.now() >= this.#nextPoll - LOOP_CLOCK_MS / 2) done();
        });
      this.#wakePoll = done;
    });
  }

  async #poll(first: boolean): Promise<void> {
    const t = this.#tracker!;
    const now = Date.now();
    this.#lastPoll = now;
    this.#nextPoll = now + this.#config.poll_interval;
    if (!first && this.#changes?.tick(now))
      this.#metrics.dirsPolled.set(this.#metrics.labels, this.#changes.polled);
    if (!first && this.#lost?.mayHaveLost(now, this.#changes!.takeEvents())) {
      // The loop stalled long enough that inotify may have dropped events: list and stat everything.
      this.#metrics.stallRescans.inc(this.#metrics.labels);
      this.#changes!.suspectAll();
      this.#discovery.invalidate();
      this.#settings.logger.debug({}, 'event loop stalled: rescanning watched directories');
    }
    const listed = await this.#discovery.list();
    // Rotated files are read under their new names until retention deletes them.
    const paths = this.#retention ? this.#retention.withKept(listed) : listed;
    await t.observe(paths, now, first);
    this.#retention?.poll(t.live, Date.now());
    this.#metrics.filesTracked.set(this.#metrics.labels, t.live.size);
    this.#metrics.filesOpen.set(this.#metrics.labels, t.open);
  }

  /** One turn over every file with something to do; true when some file has more to read now. */
  async #turns(): Promise<boolean> {
    const t = this.#tracker!;
    let more = false;
    for (const f of [...t.live.values()]) {
      if (this.#stopped) break;
      const gone = f.goneSince !== undefined;
      if (f.offset >= f.size && !f.reading.skipping && !gone && !f.probe) continue;
      const now = Date.now();
      // Without a promise where none is needed: an open file's small read is synchronous
      // (read/read-turn.ts #quickTurn), and with 1000 files appended once a second each await cost.
      const open = (f.offset < f.size || f.probe) && t.ensureOpen(f, now);
      if (open === true || (open !== false && (await open))) {
        f.reading.turnStarted();
        try {
          const r = this.#reads.turn(f, now, this.#isStopped);
          if (r === true || (r !== false && (await r))) more = true;
        } catch (err) {
          this.#metrics.errors.inc(this.#metrics.labels);
          this.#settings.logger.warn({ path: f.path, err: String(err) }, 'read failed');
        } finally {
          f.reading.turnEnded();
        }
        t.recheck(f, Date.now());
      } else if (f.probe) {
        // Closed (max_concurrent_files) and not reopened: no read now, so the poll stats it.
        probeMissed(f);
      }
      if (gone) await t.settle(f, now);
    }
    // Small reads of many files wait up to flush_interval to be joined: one pool task and one
    // request a second for a node's quiet files, not one per pass (bench/RESULTS.md).
    // A batch that fills goes at once (batch-joiner.ts), and so does what is left at shutdown.
    const now = Date.now();
    if (now - this.#lastFlush >= this.#config.flush_interval || this.#stopped) {
      this.#lastFlush = now;
      await this.#reads.flush();
    }
    return more;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(1, ms));
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }

  /** Watch events are hints: they bring the next poll forward, at most every quarter interval. */
  #hint(): void {
    this.#discovery.invalidate();
    const soonest = this.#lastPoll + this.#config.poll_interval / 4;
    if (this.#nextPoll <= soonest) return;
    this.#nextPoll = soonest;
    this.#wakePoll?.(); // the poll loop waits again, now until the earlier time
  }

  #watch(): void {
    const roots = this.#discovery.roots;
    const depth = roots.some((r) => r.depth === undefined)
      ? undefined
      : Math.max(...roots.map((r) => r.depth!));
    try {
      this.#watcher = watch(
        roots.map((r) => r.dir),
        {
          ignoreInitial: true,
          persistent: false,
          ...(depth !== undefined && { depth }),
          // A listed file's changes are the poll's business: ignoring it by name spares chokidar an
          // lstat per append.
          ignored: (p, st) =>
            this.#discovery.isListed(p) || (st?.isFile() === true && !this.#discovery.matchesInclude(p)),
        },
      );
      for (const ev of ['add', 'addDir', 'unlink', 'unlinkDir'] as const)
        this.#watcher.on(ev, () => this.#hint());
      this.#watcher.on('ready', () => {
        this.#upperWatched = true;
      });
      this.#watcher.on('error', () => {
        this.#upperWatched = false; // a directory may no longer be reported: list them all as before
        this.#discovery.invalidate();
      });
    } catch (err) {
      this.#settings.logger.debug({ err: String(err) }, 'file watch unavailable; polling only');
    }
  }

  /**
   * Change notifications for the files' own directories (change-watch.ts); the directories above
   * them are reported by chokidar (#watch), within its depth and once it is ready.
   */
  #changeWatch(): ChangeWatch {
    const changes = new ChangeWatch((dir, err) => {
      this.#metrics.errors.inc(this.#metrics.labels);
      this.#settings.logger.warn(
        { dir, err: String(err) },
        "cannot watch directory (fs.inotify.max_user_watches?); its files are stat'ed on every poll",
      );
    }, this.#config.busy_poll_interval);
    this.#changes = changes;
    this.#lost = new LostEventGuard(Date.now());
    const roots = this.#discovery.roots;
    const rescanMs = this.#config.rescan_interval;
    this.#discovery.trust({
      versionOf: (dir) =>
        changes.versionOf(dir) ?? (this.#upperWatched && coveredBy(roots, dir) ? 0 : undefined),
      get version() {
        return changes.version;
      },
      rescanMs,
      confirmedAt: (dir) => changes.confirmedAt(dir),
    });
    return changes;
  }

  #every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.#timers.push(t);
  }

  /** Persists acknowledged offsets: periodically (in the background), and once more at shutdown. */
  #checkpoint(final = false): void {
    const t = this.#tracker;
    if (!t) return;
    this.#reportBackfill();
    this.#checkpoints.write(t, Date.now(), final);
  }

  #reportBackfill(): { committed: number; total: number } {
    const p = this.backfillProgress();
    this.#metrics.backfillTarget.set(this.#metrics.labels, p.total);
    this.#metrics.backfillCommitted.set(this.#metrics.labels, p.committed);
    return p;
  }

  #logProgress(): void {
    const p = this.#reportBackfill();
    const percent = p.total > 0 ? Math.floor((100 * p.committed) / p.total) : 100;
    this.#settings.logger.info(
      { committed: p.committed, total: p.total, percent },
      'filelog backfill progress',
    );
    if (p.committed >= p.total) clearInterval(this.#timers.pop()); // the progress timer is the last one
  }
}

/** Whether chokidar, watching `roots` to their depths, reports the entries of `dir`. */
function coveredBy(roots: { dir: string; depth: number | undefined }[], dir: string): boolean {
  for (const r of roots) {
    if (dir === r.dir) return true;
    const rel = relative(r.dir, dir);
    if (rel.startsWith('..') || rel === '' || rel.startsWith(sep)) continue;
    if (r.depth === undefined || rel.split(sep).length <= r.depth) return true;
  }
  return false;
}
