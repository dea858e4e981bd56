// Lists the paths matching include and not exclude. The listing is the source of truth and runs
// on every poll, so it must be cheap on a node with thousands of files: each directory's matches
// for a pattern segment are cached and reused while the directory's mtime/ctime are unchanged
// (entries are only added, removed or renamed when those change). A listing made within a second
// of the directory's last change is not trusted (coarse timestamps), like git's racy-clean rule.
// The directories are walked again at most once a second unless a watch hint came (invalidate);
// polls in between reuse the last listing. A directory whose entry changes are reported (trust():
// change-watch.ts for the files' own directories, chokidar above them) is not stat'ed again while
// its version holds, up to rescan_interval (bench/RESULTS.md). A new name is then found within a
// second even when the watch misses it; paths already listed are stat'ed by the tracker on every
// poll, so a rename + create of a listed name (kubelet's 0.log) is seen at the next poll.
import { type Dirent, readdir, type Stats, statSync } from 'node:fs';
import { join, matchesGlob, resolve, sep } from 'node:path';

const GLOB = /[*?[\]{}]/;
const RACY_MS = 1000;
const RECHECK_MS = 1000;

/** Who reports changes to directory entries (change-watch.ts, and chokidar above the files). */
export interface DirChanges {
  /** Changes with every create, rename or delete in `dir`; undefined when nothing reports them. */
  versionOf(dir: string): number | undefined;
  /** Changes whenever any directory's version does. */
  readonly version: number;
  /** How long a reported directory's listing is trusted without a stat (rescan_interval). */
  readonly rescanMs: number;
  /**
   * When a polled directory's entries were last confirmed unchanged (change-watch.ts): its listing
   * is then as fresh as a stat would make it, rescan or not. Undefined for any other directory.
   */
  confirmedAt?(dir: string): number | undefined;
}

interface Match {
  name: string;
  dir: boolean;
  path: string;
}

interface Listing {
  /** The directory's version when it was last stat'ed: while unchanged, no stat is needed. */
  version: number | undefined;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  listedAt: number;
  checkedAt: number;
  /**
   * Matches of one segment pattern: names, whether each may be a directory, and its path (joined
   * once: path.join at every rescan of 1000 pod directories was a third of the walk's time).
   */
  matches: Map<string, Match[]>;
  entries: Dirent[] | undefined;
}

export class Discovery {
  readonly #include: string[][];
  readonly #exclude: string[];
  readonly #listings = new Map<string, Listing>();
  readonly #excluded = new Map<string, boolean>();
  #generation = 0;
  #last:
    | { at: number; generation: number; paths: Set<string>; version: number; reported: boolean }
    | undefined;
  readonly #checkedGen = new Map<string, number>();
  #changes: DirChanges | undefined;
  /** During a walk: whether every directory listed so far has its changes reported. */
  #reported = true;

  constructor(include: string[], exclude: string[]) {
    this.#include = include.map((p) => resolve(p).split(sep));
    this.#exclude = exclude.map((p) => resolve(p));
  }

  /**
   * From now on, a directory whose changes are reported is not stat'ed again while its version is
   * unchanged, up to rescanMs; the others still once a second. With 1000 pod directories that spares
   * 1000 directory stats a second.
   */
  trust(changes: DirChanges): void {
    this.#changes = changes;
  }

  /**
   * The literal directories the include patterns start from, and how deep to watch them for hints.
   * The directories that hold the files themselves are not watched when the pattern has more than
   * one level: every append there would be a watch event for chokidar that the poll handles
   * anyway. New pod and container directories
   * still bring the poll forward.
   */
  get roots(): { dir: string; depth: number | undefined }[] {
    return this.#include.map((segs) => {
      const first = segs.findIndex((s) => GLOB.test(s));
      const base = first < 0 ? segs.slice(0, -1) : segs.slice(0, first);
      const rest = segs.length - base.length;
      return { dir: base.join(sep) || sep, depth: segs.includes('**') ? undefined : Math.max(0, rest - 2) };
    });
  }

  /** A watch event: every directory is checked again at the next listing. */
  invalidate(): void {
    this.#generation++;
  }

  /** Whether the last listing has this path: a file the poll already watches. */
  isListed(path: string): boolean {
    return this.#last?.paths.has(path) === true;
  }

  matchesInclude(path: string): boolean {
    return this.#include.some((segs) => matchesGlob(path, segs.join(sep)));
  }

  /** The matching paths; the set is shared with later calls until the next walk, so read it only. */
  async list(): Promise<ReadonlySet<string>> {
    const now = Date.now();
    const last = this.#last;
    const c = this.#changes;
    if (
      last &&
      last.generation === this.#generation &&
      (now - last.at < RECHECK_MS ||
        (c !== undefined && last.reported && last.version === c.version && now - last.at < c.rescanMs))
    )
      return last.paths;
    const version = c?.version ?? 0;
    this.#reported = true;
    const out = new Set<string>();
    const seen = new Set<string>();
    for (const segs of this.#include) {
      const first = segs.findIndex((s) => GLOB.test(s));
      if (first < 0) out.add(segs.join(sep));
      else await this.#walk(segs.slice(0, first).join(sep) || sep, segs.slice(first), out, seen);
    }
    for (const dir of this.#listings.keys()) {
      if (seen.has(dir)) continue;
      this.#listings.delete(dir);
      this.#checkedGen.delete(dir);
    }
    for (const p of out) if (this.#isExcluded(p)) out.delete(p);
    this.#last = { at: now, generation: this.#generation, paths: out, version, reported: this.#reported };
    return out;
  }

  async #walk(dir: string, segs: string[], out: Set<string>, seen: Set<string>): Promise<void> {
    const [seg, ...rest] = segs;
    if (seg === undefined) return;
    if (!GLOB.test(seg)) {
      const p = join(dir, seg);
      if (rest.length === 0) out.add(p);
      else await this.#walk(p, rest, out, seen);
      return;
    }
    const listing = await this.#listing(dir, seen);
    if (!listing) return;
    // Sibling directories are walked concurrently: one round of stats per level, not one per directory.
    const walks: Promise<void>[] = [];
    if (seg === '**') {
      walks.push(this.#walk(dir, rest, out, seen));
      for (const m of this.#matches(dir, listing, '**')) walks.push(this.#walk(m.path, segs, out, seen));
    } else {
      for (const m of this.#matches(dir, listing, seg)) {
        if (rest.length === 0) out.add(m.path);
        else if (m.dir) walks.push(this.#walk(m.path, rest, out, seen));
      }
    }
    await Promise.all(walks);
  }

  #matches(dir: string, listing: Listing, seg: string): Match[] {
    let m = listing.matches.get(seg);
    if (!m) {
      m = [];
      for (const e of listing.entries ?? []) {
        // '**' descends real directories only, so a symlink loop cannot recurse.
        if (seg === '**') {
          if (e.isDirectory()) m.push({ name: e.name, dir: true, path: join(dir, e.name) });
        } else if (matchesGlob(e.name, seg)) {
          m.push({ name: e.name, dir: e.isDirectory() || e.isSymbolicLink(), path: join(dir, e.name) });
        }
      }
      listing.matches.set(seg, m);
    }
    return m;
  }

  async #listing(dir: string, seen: Set<string>): Promise<Listing | undefined> {
    seen.add(dir);
    const now = Date.now();
    const known = this.#listings.get(dir);
    const c = this.#changes;
    const version = c?.versionOf(dir);
    if (version === undefined) this.#reported = false;
    if (
      known &&
      this.#checkedGen.get(dir) === this.#generation &&
      (now - known.checkedAt < RECHECK_MS ||
        (version !== undefined &&
          known.version === version &&
          now - Math.max(known.checkedAt, c!.confirmedAt?.(dir) ?? 0) < c!.rescanMs))
    )
      return known;
    this.#checkedGen.set(dir, this.#generation);
    // Synchronous, as the tracker's file stats: metadata of a local directory, where a thread-pool
    // round trip per directory would cost more than the stat (bench/RESULTS.md).
    const st = statOrUndefined(dir);
    if (!st?.isDirectory()) return undefined;
    const cached = this.#listings.get(dir);
    if (
      cached &&
      cached.mtimeMs === st.mtimeMs &&
      cached.ctimeMs === st.ctimeMs &&
      cached.ino === st.ino &&
      cached.listedAt - Math.max(st.mtimeMs, st.ctimeMs) > RACY_MS
    ) {
      cached.checkedAt = now;
      cached.version = version;
      return cached;
    }
    const listedAt = Date.now();
    const entries = await new Promise<Dirent[] | undefined>((r) =>
      readdir(dir, { withFileTypes: true }, (err, e) => r(err ? undefined : e)),
    );
    const listing: Listing = {
      version,
      mtimeMs: st.mtimeMs,
      ctimeMs: st.ctimeMs,
      ino: st.ino,
      listedAt,
      checkedAt: listedAt,
      matches: new Map(),
      entries,
    };
    this.#listings.set(dir, listing);
    return listing;
  }

  #isExcluded(path: string): boolean {
    if (this.#exclude.length === 0) return false;
    let x = this.#excluded.get(path);
    if (x === undefined) {
      x = this.#exclude.some((p) => matchesGlob(path, p));
      if (this.#excluded.size > 100_000) this.#excluded.clear();
      this.#excluded.set(path, x);
    }
    return x;
  }
}

/** A stat by path; undefined when it is gone or cannot be stat'ed. */
export function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}
