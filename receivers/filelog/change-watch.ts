// Kernel change notifications (inotify, through node:fs watch) on the directories that hold the
// tailed files, so that a poll stats only the files something happened to. A watched file that had
// no event since it was last stat'ed is known unchanged and costs a poll nothing; every file is
// still stat'ed by path every rescan_interval, in case a file system sends no notifications, and
// at once when the event loop stalled long enough that the inotify queue may have overflowed
// (lost-events.ts). A directory that cannot be watched is polled as before.
//
// Why node:fs watch and not chokidar here: chokidar lstat's the file on every event, and with 1000
// files appended once a second that cost 8 % of a core (bench/RESULTS.md). Here an event costs a
// map lookup. chokidar still watches the directories above (new pod and container directories).
//
// One watch per directory, not per file: the directory's watch also reports the files created,
// renamed and deleted in it (a rotation), which a file's own watch would not.
import { type FSWatcher, realpathSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

/** What the tracker keeps on a file for the watch. */
export interface Watched {
  /** Set by an event naming the file (or any unexplained event in its directory); cleared by a stat. */
  dirty: boolean;
  /** Set by a create, rename or delete in its directory: its path must be stat'ed by name again. */
  pathDirty: boolean;
  /** The directory watch that reports its changes, while that watch works. */
  watch: DirWatch | undefined;
}

/** What the directory watches share: the files marked since the tracker took them, and counters. */
interface Shared {
  readonly changed: Watched[];
  /** Events received, for the rate lost-events.ts weighs a stall against. */
  events: number;
  /** Grows with every directory's version (so reading it costs no pass over the directories). */
  version: number;
}

export class DirWatch {
  readonly dir: string;
  /** Grows on every create, rename or delete in the directory: a listing older than that is stale. */
  version = 0;
  alive = true;
  readonly files = new Map<string, Watched>();
  readonly #watcher: FSWatcher;

  constructor(dir: string, shared: Shared, onDead: (w: DirWatch) => void) {
    this.dir = dir;
    const self = basename(dir);
    const changed = shared.changed;
    this.#watcher = watch(dir, { persistent: false }, (event, name) => {
      shared.events++;
      if (event === 'change' && name !== null) {
        // The hot path: an append to (or a truncation of) a tailed file. A change to another file
        // changes no entry of the directory; a tracked file renamed and still written is stat'ed on
        // every poll anyway (by its descriptor once gone, by its new name while listed).
        const f = this.files.get(name);
        if (f && !f.dirty) {
          f.dirty = true;
          changed.push(f);
        }
        return;
      }
      this.suspect(shared);
      // The directory itself was deleted or moved (libuv names it by its own basename): its watch
      // no longer follows that path; its files are polled, and a new watch is made for new files.
      if (name === self || name === null) this.#die(onDead);
    });
    this.#watcher.on('error', () => this.#die(onDead));
  }

  /** An entry of the directory may have changed: its listing and every file's path are checked again. */
  suspect(shared: Shared): void {
    this.version++;
    shared.version++;
    for (const f of this.files.values()) {
      f.dirty = true;
      f.pathDirty = true;
    }
  }

  close(): void {
    this.alive = false;
    this.#watcher.close();
  }

  #die(onDead: (w: DirWatch) => void): void {
    if (!this.alive) return;
    this.close();
    for (const f of this.files.values()) {
      f.dirty = true;
      f.pathDirty = true;
      f.watch = undefined;
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
  readonly #shared: Shared = { changed: [], events: 0, version: 0 };
  readonly #failed: (dir: string, err: unknown) => void;

  constructor(failed: (dir: string, err: unknown) => void) {
    this.#failed = failed;
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
    f.watch = d;
    // Anything written between the file's last stat and its watch must still be seen.
    f.dirty = true;
    this.changed.push(f);
  }

  remove(f: Watched): void {
    const d = f.watch;
    if (!d) return;
    f.watch = undefined;
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
