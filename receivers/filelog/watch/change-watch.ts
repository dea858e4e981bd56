// Kernel change notifications (inotify, through node:fs watch) on the directories that hold the
// tailed files, so that a poll stats only the files an event named. Every path is still stat'ed
// every rescan_interval, and at once after an event-loop stall that may have lost events
// (lost-events.ts). One watch per directory: it also reports a rotation's creates, renames and
// deletes. node:fs rather than chokidar, which lstat's the file on every event.
//
// A busy directory (appended BUSY_TICKS seconds in a row) is polled instead, because a callback per
// append costs more than a read per tick: at each tick its files are marked to be read at their
// offsets (a probe, read/read-turn.ts) and the directory is fstat'ed, a changed mtime or ctime
// standing for the event its watch would have sent. Settled polled directories tick together every
// busy_poll_interval; one whose entries changed within SETTLED_MS ticks every second, so that a
// generation created and rotated away between two ticks is still listed. After IDLE_MS without
// growth it is watched again. docs/filelog.md says why; bench/RESULTS.md what each costs.
import {
  closeSync,
  constants,
  type FSWatcher,
  fstatSync,
  openSync,
  realpathSync,
  type Stats,
  watch,
} from 'node:fs';
import { basename, dirname } from 'node:path';
import { statOrUndefined } from './discovery.ts';

/** Seconds in a row with appends after which a directory is polled rather than watched. */
const BUSY_TICKS = 3;
/** How long without growth after which a polled directory is watched again. */
const IDLE_MS = 10_000;
/** How often directories are checked: watched ones for appends, polled ones at most this often. */
export const TICK_MS = 1000;
/** How long after an entry of a polled directory changed (a rotation) it is ticked every second. */
export const SETTLED_MS = 60_000;
/** A directory changed this recently may change again within its timestamps' granularity: check it again. */
const RACY_MS = 1000;

// Set in Watched's static block: only this module marks a file or gives it its watch.
let setDirty: (f: Watched, dirty: boolean) => void;
let setPathDirty: (f: Watched, dirty: boolean) => void;
let setWatch: (f: Watched, d: DirWatch | undefined) => void;
let setProbe: (f: Watched, probe: boolean) => void;

/** What the watch keeps on a file (the tracker's TrackedFile): marked here, read by the poll. */
export abstract class Watched {
  #dirty = true;
  #pathDirty = true;
  #watch: DirWatch | undefined;
  #probe = false;

  /** Set by an event naming the file (or any unexplained event in its directory); cleared by a stat. */
  get dirty(): boolean {
    return this.#dirty;
  }

  /** Set by a create, rename or delete in its directory: its path must be stat'ed by name again. */
  get pathDirty(): boolean {
    return this.#pathDirty;
  }

  /** The directory watch that reports its changes, while that watch works; without one it is stat'ed on every poll. */
  get watch(): DirWatch | undefined {
    return this.#watch;
  }

  /** Set by a polled directory's tick instead of dirty when probeable: its next turn reads first (read/read-turn.ts). */
  get probe(): boolean {
    return this.#probe;
  }

  /** Its size at its last stat: a polled directory whose files stop growing is watched again. */
  abstract readonly size: number;
  /** Whether a read at its offset can stand in for a stat (tracked-file.ts). */
  abstract readonly probeable: boolean;

  static {
    setDirty = (f, dirty) => {
      f.#dirty = dirty;
    };
    setPathDirty = (f, dirty) => {
      f.#pathDirty = dirty;
    };
    setWatch = (f, d) => {
      f.#watch = d;
    };
    setProbe = (f, probe) => {
      f.#probe = probe;
    };
  }
}

/** Whether a polled directory's tick asked for a read at the file's offset; the asking clears it. */
export function takeProbe(f: Watched): boolean {
  const p = f.probe;
  setProbe(f, false);
  return p;
}

/** A read that could not stand in for a stat: the next poll stats the file. */
export function restatNextPoll(f: Watched): void {
  if (f.watch) f.watch.restat(f);
  else setDirty(f, true);
}

/** A probe left unread (the file is closed and could not be reopened): the next full poll stats it. */
export function probeMissed(f: Watched): void {
  setProbe(f, false);
  setDirty(f, true);
}

/** The file was just stat'ed: nothing is pending for it until the next event. */
export function stated(f: Watched): void {
  setDirty(f, false);
}

/** The file's path was just stat'ed by name and still names it. */
export function pathStated(f: Watched): void {
  setPathDirty(f, false);
}

/** What the directory watches share: the files marked since the tracker took them, and counters. */
interface Shared {
  readonly changed: Watched[];
  /** Events received, for the rate lost-events.ts weighs a stall against. */
  events: number;
  /** Grows with every directory's version (so reading it costs no pass over the directories). */
  version: number;
  /** How often a polled directory whose entries stayed the same is ticked (busy_poll_interval). */
  readonly busyPollMs: number;
}

export class DirWatch {
  readonly dir: string;
  /** Grows on every create, rename or delete in the directory: a listing older than that is stale. */
  version = 0;
  alive = true;
  readonly files = new Map<string, Watched>();
  /** Undefined while the directory is polled (busy) rather than watched. */
  #watcher: FSWatcher | undefined;
  readonly #shared: Shared;
  readonly #onDead: (w: DirWatch) => void;
  /** Appends seen by the watch since the last tick. */
  #changes = 0;
  /** Ticks in a row with appends (while watched). */
  #streak = 0;
  /** While polled: when its files last grew. */
  #grewAt = 0;
  /** When an entry last changed (an event while watched, a tick while polled): see SETTLED_MS. */
  #entriesChangedAt = Number.NEGATIVE_INFINITY;
  /** While polled: the directory's stat and its files' total size at the last tick. */
  #stat: Stats | undefined;
  #sizes = 0;
  /**
   * While polled: the directory, open, so that a tick stats it without a path lookup. One
   * descriptor per busy directory, besides its files' own.
   */
  #fd: number | undefined;
  /**
   * While polled: when a tick last found the directory's entries as the tick before left them. Its
   * listing, and the paths of its files, are then as good as stat'ed by name at that time: the
   * periodic rescan by path (rescan_interval) is for notifications that may not come, and a polled
   * directory depends on none. Undefined while watched.
   */
  confirmedAt: number | undefined;

  constructor(dir: string, shared: Shared, onDead: (w: DirWatch) => void) {
    this.dir = dir;
    this.#shared = shared;
    this.#onDead = onDead;
    this.#watcher = this.#watch();
  }

  /**
   * When this directory, polled, last confirmed its entries unchanged, for a path directly in it:
   * the path still named the same file then, as a stat by name would have shown. Undefined while
   * watched, or for a path not directly in it (a symlink elsewhere).
   */
  confirmedAtOf(path: string): number | undefined {
    const at = this.confirmedAt;
    if (at === undefined) return undefined;
    const dir = this.dir;
    return path.length > dir.length + 1 &&
      path.startsWith(dir) &&
      path.charCodeAt(dir.length) === 47 && // '/'
      path.indexOf('/', dir.length + 1) < 0
      ? at
      : undefined;
  }

  get polled(): boolean {
    return this.#watcher === undefined && this.alive;
  }

  #watch(): FSWatcher {
    const self = basename(this.dir);
    const shared = this.#shared;
    const changed = shared.changed;
    const watcher = watch(this.dir, { persistent: false }, (event, name) => {
      shared.events++;
      if (event === 'change' && name !== null) {
        // The hot path: an append to (or a truncation of) a tailed file. A change to another file
        // changes no entry of the directory; a tracked file renamed and still written is stat'ed on
        // every poll anyway (by its descriptor once gone, by its new name while listed).
        this.#changes++;
        const f = this.files.get(name);
        if (f && !f.dirty) {
          setDirty(f, true);
          changed.push(f);
        }
        return;
      }
      this.#entriesChangedAt = Date.now();
      this.suspect(shared);
      // The directory itself was deleted or moved (libuv names it by its own basename): its watch
      // no longer follows that path; its files are polled, and a new watch is made for new files.
      if (name === self || name === null) this.#die(this.#onDead);
    });
    watcher.on('error', () => this.#die(this.#onDead));
    return watcher;
  }

  /**
   * Once a second: a watched directory appended BUSY_TICKS seconds in a row is polled from now on;
   * a polled one has its files marked and its entries checked (every busy_poll_interval once its
   * entries settled), and is watched again after IDLE_MS without growth.
   */
  tick(now: number, settledToo: boolean): void {
    if (!this.alive) return;
    if (this.#watcher) {
      this.#streak = this.#changes > 0 ? this.#streak + 1 : 0;
      this.#changes = 0;
      if (this.#streak < BUSY_TICKS) return;
      // Opened and stat'ed first, then the watch closed: an entry changed in between moves the
      // mtime past this stat.
      const fd = openDir(this.dir);
      const st = fd === undefined ? undefined : fstatDir(fd);
      if (!st) {
        if (fd !== undefined) closeSync(fd);
        return; // gone: its watch reports that
      }
      this.#watcher.close();
      this.#watcher = undefined;
      this.#fd = fd;
      this.#sizes = this.#sizeOfFiles();
      this.#streak = 0;
      this.#grewAt = now;
      this.#markAll(true); // what happened since the last event
      this.#stat = st;
      return;
    }
    if (!settledToo && now - this.#entriesChangedAt >= SETTLED_MS) return;
    const old = this.#stat!;
    let st = fstatDir(this.#fd!);
    const entriesChanged =
      st !== undefined &&
      (st.mtimeMs !== old.mtimeMs ||
        st.ctimeMs !== old.ctimeMs ||
        now - Math.max(st.mtimeMs, st.ctimeMs) < RACY_MS);
    // Changed: the path may now name another directory (this one renamed away, which moves its
    // ctime): the path is stat'ed too, only then.
    if (entriesChanged && statOrUndefined(this.dir)?.ino !== st!.ino) st = undefined;
    if (!st || st.nlink === 0) {
      this.#die(this.#onDead); // deleted or replaced: its files are polled by path, as a dead watch's
      return;
    }
    this.#markAll(entriesChanged);
    if (entriesChanged) this.#entriesChangedAt = now;
    this.confirmedAt = entriesChanged ? undefined : now;
    this.#stat = st;
    const sizes = this.#sizeOfFiles();
    if (sizes !== this.#sizes) this.#grewAt = now;
    this.#sizes = sizes;
    if (now - this.#grewAt < IDLE_MS - TICK_MS / 2) return;
    try {
      this.#watcher = this.#watch();
    } catch {
      return; // e.g. ENOSPC: polled it stays
    }
    this.#closeFd();
    this.confirmedAt = undefined;
    this.#streak = 0;
    this.suspect(this.#shared); // anything between the last tick and the watch
  }

  /** A polled directory's tick: its files as if an event named each, or all by name if its entries changed. */
  #markAll(entriesChanged: boolean): void {
    if (entriesChanged) {
      this.suspect(this.#shared);
      return;
    }
    for (const f of this.files.values()) {
      // Read first, stat only if the read finds nothing (restat): for a busy file the read is all
      // it needs.
      if (f.probeable) setProbe(f, true);
      else this.restat(f);
    }
  }

  /** The file is stat'ed at the next poll, as if an event had named it. */
  restat(f: Watched): void {
    if (f.dirty) return;
    setDirty(f, true);
    this.#shared.changed.push(f);
  }

  #closeFd(): void {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
  }

  #sizeOfFiles(): number {
    let n = 0;
    for (const f of this.files.values()) n += f.size;
    return n;
  }

  /** An entry of the directory may have changed: its listing and every file's path are checked again. */
  suspect(shared: Shared): void {
    this.version++;
    shared.version++;
    for (const f of this.files.values()) {
      setDirty(f, true);
      setPathDirty(f, true);
    }
  }

  close(): void {
    this.alive = false;
    this.confirmedAt = undefined;
    this.#watcher?.close();
    this.#watcher = undefined;
    this.#closeFd();
  }

  #die(onDead: (w: DirWatch) => void): void {
    if (!this.alive) return;
    this.close();
    for (const f of this.files.values()) {
      setDirty(f, true);
      setPathDirty(f, true);
      setWatch(f, undefined);
    }
    onDead(this);
  }
}

export class ChangeWatch {
  readonly #dirs = new Map<string, DirWatch>();
  /**
   * changed: the files an append or truncation marked dirty since the tracker last took them: a
   * poll with nothing else to do stats just these, without a pass over every file.
   */
  readonly #shared: Shared;
  readonly #failed: (dir: string, err: unknown) => void;
  #lastTick = 0;
  #lastSettledTick = 0;

  /** busyPollMs: busy_poll_interval (below TICK_MS, a tick every second). */
  constructor(failed: (dir: string, err: unknown) => void, busyPollMs = TICK_MS) {
    this.#failed = failed;
    this.#shared = { changed: [], events: 0, version: 0, busyPollMs };
  }

  get dirs(): number {
    return this.#dirs.size;
  }

  get changed(): Watched[] {
    return this.#shared.changed;
  }

  /** Grows with every create, rename or delete in any watched directory, and when a watch dies. */
  get version(): number {
    return this.#shared.version;
  }

  /** Directories polled because they are busy (see tick). */
  get polled(): number {
    let n = 0;
    for (const d of this.#dirs.values()) if (d.polled) n++;
    return n;
  }

  /** Called by every poll: once a second, busy directories are polled and polled ones checked (true then). */
  tick(now: number): boolean {
    if (now - this.#lastTick < TICK_MS) return false;
    this.#lastTick = now;
    // One clock for all settled directories, so that their reads join one batch and move the
    // checkpoint once per busy_poll_interval, rather than each on the phase it became busy at.
    // Ticks come a second or a little more apart: half a tick of slack keeps a 2 s period at
    // every second tick.
    const settledToo = now - this.#lastSettledTick >= this.#shared.busyPollMs - TICK_MS / 2;
    if (settledToo) this.#lastSettledTick = now;
    for (const d of this.#dirs.values()) d.tick(now, settledToo);
    return true;
  }

  /** The events received since the last call. */
  takeEvents(): number {
    const n = this.#shared.events;
    this.#shared.events = 0;
    return n;
  }

  /** Notifications may have been lost (lost-events.ts): every directory counts as changed. */
  suspectAll(): void {
    for (const d of this.#dirs.values()) d.suspect(this.#shared);
  }

  /** When a polled directory's entries were last confirmed unchanged (DirWatch.confirmedAt). */
  confirmedAt(dir: string): number | undefined {
    return this.#dirs.get(dir)?.confirmedAt;
  }

  /** A watched directory's version; undefined when it is not watched. */
  versionOf(dir: string): number | undefined {
    const d = this.#dirs.get(dir);
    return d?.alive ? d.version : undefined;
  }

  /**
   * Starts reporting changes of the file at `path` (through symlinks: the directory that holds the
   * file itself). Until its watch is made, and if it cannot be, the file is polled.
   */
  add(f: Watched & { path: string }): void {
    this.remove(f);
    let real: string;
    try {
      real = realpathSync(f.path);
    } catch {
      return;
    }
    const dir = dirname(real);
    let d = this.#dirs.get(dir);
    if (!d) {
      try {
        d = new DirWatch(dir, this.#shared, (dead) => {
          if (this.#dirs.get(dead.dir) === dead) this.#dirs.delete(dead.dir);
          this.#shared.version++;
        });
      } catch (err) {
        this.#failed(dir, err); // e.g. ENOSPC: fs.inotify.max_user_watches reached
        return;
      }
      this.#dirs.set(dir, d);
    }
    d.files.set(basename(real), f);
    setWatch(f, d);
    // Anything written between the file's last stat and its watch must still be seen.
    setDirty(f, true);
    this.changed.push(f);
  }

  remove(f: Watched): void {
    const d = f.watch;
    if (!d) return;
    setWatch(f, undefined);
    for (const [name, g] of d.files) if (g === f) d.files.delete(name);
    if (d.files.size === 0 && this.#dirs.get(d.dir) === d) {
      this.#dirs.delete(d.dir);
      d.close();
    }
  }

  close(): void {
    for (const d of this.#dirs.values()) d.close();
    this.#dirs.clear();
  }
}

function openDir(dir: string): number | undefined {
  try {
    return openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  } catch {
    return undefined;
  }
}

function fstatDir(fd: number): Stats | undefined {
  try {
    return fstatSync(fd);
  } catch {
    return undefined;
  }
}
