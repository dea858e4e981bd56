// The files the receiver knows, by device+inode, and what each poll's listing means for them:
// growth and truncation (truncation.ts), rotation (gone from the listing: read to its end, bounded
// by rotate_wait), and new files (admission.ts, decide.ts). Open descriptors are bounded by the
// open-file budget (open-file-budget.ts).
import type { Stats } from 'node:fs';
import { type FileCheckpoint, identity } from '../checkpoint/checkpoint.ts';
import type { FilelogConfig } from '../config.ts';
import type { TrackedFile } from '../tracked-file.ts';
import { type ChangeWatch, pathStated, stated } from '../watch/change-watch.ts';
import { Admission } from './admission.ts';
import { readAtSync } from './fingerprint.ts';
import { OpenFileBudget } from './open-file-budget.ts';
import { sizeOf, statFile, tryRead } from './stat-sync.ts';
import { SizeChanges } from './truncation.ts';

export interface TrackerHooks {
  rotated(f: TrackedFile): void;
  truncated(f: TrackedFile, why: string): void;
  released(f: TrackedFile, unread: number): void;
  warnOnce(path: string, detail: Record<string, unknown>, msg: string): void;
  info(detail: Record<string, unknown>, msg: string): void;
  /** What each new file was taken for, and every truncation: the trail to follow a rotation by. */
  debug(detail: Record<string, unknown>, msg: string): void;
}

type Options = Pick<
  FilelogConfig,
  | 'fingerprint_size'
  | 'start_at'
  | 'on_truncate'
  | 'rotate_wait'
  | 'max_concurrent_files'
  | 'exclude_older_than'
  | 'rescan_interval'
> & {
  holdMs: number;
  /** Change notifications for the tracked files; without it every file is stat'ed on every poll. */
  watch?: ChangeWatch;
};

const PATH_RECHECK_MS = 1000;
/** How long a rotated or deleted file read to its end is still read (Fluent Bit's Rotate_Wait default). */
const ROTATED_LINGER_MS = 5000;

interface Quiet {
  /** The listing of that pass: a new listing (a walk found a change) needs a full pass. */
  paths: ReadonlySet<string>;
  /** The watches' version: a create, rename or delete anywhere needs a full pass. */
  version: number;
  /** When the oldest path confirmation reaches rescan_interval. */
  until: number;
}

export class Tracker {
  readonly live = new Map<string, TrackedFile>();
  readonly released = new Map<string, TrackedFile>();
  readonly saved: Map<string, FileCheckpoint>;
  readonly #options: Options;
  readonly #hooks: TrackerHooks;
  readonly #budget: OpenFileBudget;
  readonly #sizes: SizeChanges;
  readonly #admission: Admission;

  readonly #pathCheckedAt = new Map<string, number>();
  /** The file each path named when it was last stat'ed by name. */
  readonly #pathIdentity = new Map<string, string>();
  /** The open files this poll stats through their descriptors, by path. */
  readonly #byPath = new Map<string, TrackedFile>();
  /** The open files this poll does not stat at all (watched, no event named them), by path. */
  readonly #unchangedByPath = new Map<string, TrackedFile>();
  /** New files waiting to be admitted, by identity: their size at the last poll. */
  readonly #growing = new Map<string, number>();
  /** Set by a full pass that left nothing but watched, open, confirmed files: polls may be quick. */
  #quiet: Quiet | undefined;

  constructor(o: Options, saved: Map<string, FileCheckpoint> | undefined, hooks: TrackerHooks) {
    this.#options = o;
    this.saved = saved ?? new Map();
    for (const e of this.saved.values()) e.seen_at ??= Date.now(); // version 1 entries: retention from now
    this.#hooks = hooks;
    this.#budget = new OpenFileBudget(o.max_concurrent_files, o.fingerprint_size, {
      warnOnce: (path, detail, msg) => hooks.warnOnce(path, detail, msg),
      otherHead: (f, size, now, head) => this.#sizes.truncate(f, size, now, 'first bytes changed', head),
    });
    this.#sizes = new SizeChanges(o, {
      truncated: (f, why) => hooks.truncated(f, why),
      debug: (detail, msg) => hooks.debug(detail, msg),
      letGo: (f, why) => this.#letGo(f, why),
    });
    this.#admission = new Admission(o, this, this.#budget, this.#sizes, saved === undefined, hooks);
  }

  /**
   * Applies one poll's listing. `first` is the receiver's first poll. Synchronous from the first
   * stat to the last decision: read turns run concurrently with polls, and a poll that waited on
   * I/O between a file's stat and its judgement could judge a size a turn has already read past
   * (a truncation that is none). The I/O here is stats, opens and reads of at most
   * fingerprint_size bytes of local files; stat-sync.ts says why they are synchronous.
   */
  async observe(paths: ReadonlySet<string>, now: number, first: boolean): Promise<void> {
    if (!first && this.#observeChanged(paths, now)) return;
    this.#options.watch?.changed.splice(0); // this full pass stats them all
    this.#observeAll(paths, now, first);
    this.#quiet = this.#allQuiet(paths, now);
  }

  /**
   * The quick poll: when the last full pass left every file watched, open and with its path
   * confirmed, and since then the listing is the same, no directory entry changed and no rescan
   * is due, only the files an event named are stat'ed (1000 files, of which 200 were appended since
   * the last poll: 200 fstats and no pass over the other 800). Otherwise false: a full pass.
   */
  #observeChanged(paths: ReadonlySet<string>, now: number): boolean {
    const q = this.#quiet;
    const w = this.#options.watch;
    if (!q || !w || q.paths !== paths || q.version !== w.version || now >= q.until) return false;
    for (const c of w.changed.splice(0)) {
      const f = c as TrackedFile;
      if (!f.dirty || this.live.get(f.key) !== f || f.fd === undefined) continue;
      const st = statFile(f.fd, undefined);
      if (!st) return false; // its descriptor failed: judge it (and all) in a full pass
      f.seen(now);
      stated(f);
      if (f.busy || st.size !== f.size || st.size < f.offset) this.#sizes.update(f, st.size, now);
    }
    return true;
  }

  /** After a full pass: whether the next polls may be quick ones, and until when. */
  #allQuiet(paths: ReadonlySet<string>, now: number): Quiet | undefined {
    const w = this.#options.watch;
    if (!w || this.#growing.size > 0 || this.#admission.holding) return undefined;
    let oldest = now;
    for (const f of this.live.values()) {
      if (f.watch === undefined || f.fd === undefined || f.goneSince !== undefined || f.pathDirty)
        return undefined;
      const at = this.#pathCheckedAt.get(f.path);
      if (at === undefined || this.#pathIdentity.get(f.path) !== f.key) return undefined;
      // A polled directory's ticks keep its files' paths confirmed while its version holds.
      if (f.watch?.confirmedAtOf(f.path) === undefined && at < oldest) oldest = at;
    }
    return { paths, version: w.version, until: oldest + this.#options.rescan_interval };
  }

  #observeAll(paths: ReadonlySet<string>, now: number, first: boolean): void {
    // An open, live file is checked through its descriptor; its path is stat'ed again by name (to
    // see a rename or delete) once per PATH_RECHECK_MS. A file whose directory is watched
    // (change-watch.ts) is not stat'ed at all while no event named it, and its path only after a
    // create, rename or delete in its directory, or every rescan_interval (not while the directory
    // is polled and each tick confirms its entries). stat-sync.ts says why stats are synchronous.
    this.#byPath.clear();
    this.#unchangedByPath.clear();
    for (const f of this.live.values()) {
      if (f.fd === undefined || f.goneSince !== undefined) continue;
      const statedAt = this.#pathCheckedAt.get(f.path);
      // Only while the path, when last stat'ed by name, named this very file (not after a rotation).
      if (statedAt === undefined || this.#pathIdentity.get(f.path) !== f.key) continue;
      const at = Math.max(statedAt, f.watch?.confirmedAtOf(f.path) ?? statedAt);
      const watched = f.watch !== undefined && !f.pathDirty && now - at < this.#options.rescan_interval;
      if (!watched && now - at >= PATH_RECHECK_MS) continue;
      if (watched && !f.dirty && !f.busy) {
        this.#unchangedByPath.set(f.path, f);
        this.#byPath.delete(f.path);
      } else {
        this.#byPath.set(f.path, f);
        this.#unchangedByPath.delete(f.path);
      }
    }
    const seen = new Set<string>();
    const candidates: { path: string; st: Stats }[] = [];
    for (const path of paths) {
      const unchanged = this.#unchangedByPath.get(path);
      if (unchanged) {
        // The poll's hot loop: a watched file no event named since its last stat costs nothing.
        unchanged.seen(now);
        seen.add(unchanged.key);
        continue;
      }
      const byFd = this.#byPath.get(path);
      const st = byFd ? statFile(byFd.fd!, undefined) : statFile(undefined, path);
      if (!byFd) {
        this.#pathCheckedAt.set(path, now);
        if (st) this.#pathIdentity.set(path, identity(st.dev, st.ino));
        else this.#pathIdentity.delete(path);
      }
      if (!st) continue;
      if (!st.isFile()) {
        this.#hooks.warnOnce(path, { kind: kindOf(st) }, 'matched path is not a regular file; skipped');
        continue;
      }
      // The open file stat'ed through its descriptor is known without building its identity string,
      // and an unchanged file is not judged again.
      const key = byFd && byFd.dev === st.dev && byFd.ino === st.ino ? byFd.key : identity(st.dev, st.ino);
      if (seen.has(key)) continue; // the same file through a symlink: tracked once
      seen.add(key);
      const f = byFd?.key === key ? byFd : this.live.get(key);
      if (f) {
        f.seen(now);
        f.listed();
        stated(f);
        if (!byFd && f.path === path) pathStated(f);
        if (f.busy || st.size !== f.size || st.size < f.offset) this.#sizes.update(f, st.size, now);
      } else if (!this.#admission.isGzip(key)) {
        const old =
          this.#options.exclude_older_than > 0 && now - st.mtimeMs > this.#options.exclude_older_than;
        if (!old || this.saved.has(key) || this.released.has(key)) {
          // A new file shorter than a fingerprint may be a copy being written (copytruncate) or a
          // gzip being compressed: it is admitted once it reaches fingerprint_size or its size held
          // still for a poll, so its first bytes can be compared with the files already known.
          const settled =
            first || st.size >= this.#options.fingerprint_size || this.#growing.get(key) === st.size;
          if (settled) candidates.push({ path, st });
          else this.#growing.set(key, st.size);
        }
      }
    }
    for (const path of this.#pathCheckedAt.keys()) {
      if (paths.has(path)) continue;
      this.#pathCheckedAt.delete(path);
      this.#pathIdentity.delete(path);
    }
    for (const f of this.live.values()) {
      if (seen.has(f.key)) continue;
      if (f.goneSince === undefined) {
        f.gone(now);
        this.#hooks.rotated(f);
      }
      const size = f.fd === undefined ? f.size : (sizeOf(f.fd) ?? f.size);
      f.stillAt(size);
      this.#sizes.update(f, size, now);
    }
    for (const c of candidates) this.#admission.admit(c.path, c.st, now, first);
    this.#admission.forgetUnseen(seen);
    for (const c of candidates) this.#growing.delete(identity(c.st.dev, c.st.ino));
    for (const k of this.#growing.keys()) if (!seen.has(k)) this.#growing.delete(k);
  }

  /**
   * After a read turn: applies what the poll skipped while the file was busy (growth, truncation),
   * or the truncation the turn's read found (other bytes before the offset than it read last).
   */
  recheck(f: TrackedFile, now: number): void {
    if ((!f.recheck && !f.reading.moved) || f.fd === undefined) return;
    f.reading.rechecked();
    if (f.reading.takeMoved()) {
      const fd = f.fd;
      const head = tryRead(() => readAtSync(fd, this.#options.fingerprint_size, 0));
      this.#sizes.truncate(f, sizeOf(fd) ?? 0, now, 'bytes before the offset changed', head);
      return;
    }
    const size = sizeOf(f.fd);
    if (size !== undefined) this.#sizes.update(f, size, now);
  }

  /** A file gone from the listing is let go once read to its end, or given up after rotate_wait. */
  async settle(f: TrackedFile, now: number): Promise<void> {
    if (f.goneSince === undefined) return;
    // The size the last poll saw may be older than the last write (a poll skips a file mid-turn):
    // the descriptor says how much there is now, so nothing written before the rename is left unread.
    if (f.fd !== undefined) {
      const size = sizeOf(f.fd);
      if (size !== undefined && size > f.size) {
        this.#sizes.update(f, size, now);
        f.grew();
        return;
      }
    }
    const unread = f.size - f.offset;
    const gone = now - f.goneSince;
    if (unread > 0 && gone < this.#options.rotate_wait) return;
    // Read to its end, it is still read a while: its writer writes to it until it reopens (a
    // signal after the rename), and with change notifications the rename is seen within
    // milliseconds. Released at once, a line written before the reopen was lost (torture, 3 CPU hogs).
    if (unread <= 0 && gone < Math.min(ROTATED_LINGER_MS, this.#options.rotate_wait)) return;
    await this.close(f);
    this.live.delete(f.key);
    this.#options.watch?.remove(f);
    this.released.set(f.key, f);
    this.#hooks.released(f, Math.max(0, unread));
  }

  /** Opens a closed file again before reading it (open-file-budget.ts); false when it cannot be read now. */
  ensureOpen(f: TrackedFile, now: number): boolean | Promise<boolean> {
    return this.#budget.ensureOpen(f, now, this.live.values());
  }

  /** Open descriptors (max_concurrent_files bounds them). */
  get open(): number {
    return this.#budget.open;
  }

  close(f: TrackedFile): Promise<void> {
    return this.#budget.close(f);
  }

  /** Stops tracking a file that must not be read (a gzip admitted while still empty). */
  #letGo(f: TrackedFile, why: string): void {
    this.#hooks.debug({ path: f.path, key: f.key, why }, 'let go');
    this.#budget.closeNow(f);
    this.live.delete(f.key);
    this.#options.watch?.remove(f);
    this.#admission.markGzip(f.key);
  }
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'directory';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  return 'other';
}
