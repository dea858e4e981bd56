// Admitting a file new to the listing: opened within the open-file budget, its first bytes read,
// and taken (decide.ts) for a file resumed from its checkpoint, a released file come back, a
// copytruncate copy, a new file, a gzip never read, or one held back until its original's
// truncation is seen.
import { Buffer } from 'node:buffer';
import { fstatSync, type Stats } from 'node:fs';
import { type FileCheckpoint, identity } from '../checkpoint/checkpoint.ts';
import type { FilelogConfig } from '../config.ts';
import { openReadSync } from '../read/open-read.ts';
import { TrackedFile } from '../tracked-file.ts';
import type { ChangeWatch } from '../watch/change-watch.ts';
import { decide } from './decide.ts';
import { matchesDigest, readAtSync } from './fingerprint.ts';
import type { OpenFileBudget } from './open-file-budget.ts';
import { tryRead } from './stat-sync.ts';
import { firstLine, type SizeChanges } from './truncation.ts';

type Options = Pick<FilelogConfig, 'fingerprint_size' | 'start_at'> & {
  holdMs: number;
  watch?: ChangeWatch;
};

/** The tracker's files, which an admission reads and updates. */
export interface KnownFiles {
  readonly live: Map<string, TrackedFile>;
  readonly released: Map<string, TrackedFile>;
  readonly saved: Map<string, FileCheckpoint>;
}

export interface AdmissionHooks {
  warnOnce(path: string, detail: Record<string, unknown>, msg: string): void;
  info(detail: Record<string, unknown>, msg: string): void;
  debug(detail: Record<string, unknown>, msg: string): void;
}

export class Admission {
  readonly #options: Options;
  readonly #files: KnownFiles;
  readonly #budget: OpenFileBudget;
  readonly #sizes: SizeChanges;
  readonly #hooks: AdmissionHooks;
  /** No checkpoint at start: start_at applies to the first poll's files. */
  readonly #firstStart: boolean;
  /** Files held back (a possible copy whose original's truncation is not seen yet), since when. */
  readonly #held = new Map<string, number>();
  /** Gzip files: never read, not looked at again while listed. */
  readonly #gzip = new Set<string>();

  constructor(
    options: Options,
    files: KnownFiles,
    budget: OpenFileBudget,
    sizes: SizeChanges,
    firstStart: boolean,
    hooks: AdmissionHooks,
  ) {
    this.#options = options;
    this.#files = files;
    this.#budget = budget;
    this.#sizes = sizes;
    this.#firstStart = firstStart;
    this.#hooks = hooks;
  }

  /** Whether some file is held back: the next poll must look at it again. */
  get holding(): boolean {
    return this.#held.size > 0;
  }

  isGzip(key: string): boolean {
    return this.#gzip.has(key);
  }

  /** A tracked file turned out to be a gzip: it is not taken again while listed. */
  markGzip(key: string): void {
    this.#gzip.add(key);
  }

  /** Forgets held and gzip files the listing no longer shows. */
  forgetUnseen(seen: ReadonlySet<string>): void {
    for (const k of this.#held.keys()) if (!seen.has(k)) this.#held.delete(k);
    for (const k of this.#gzip) if (!seen.has(k)) this.#gzip.delete(k);
  }

  admit(path: string, st: Stats, now: number, first: boolean): void {
    const key = identity(st.dev, st.ino);
    if (!this.#budget.makeRoom(this.#files.live.values())) return;
    let fd: number;
    try {
      fd = openReadSync(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // Gone since its stat (a rotation's short-lived name: logrotate's .gz, kubelet's .tmp): nothing to warn about.
      if (code === 'ENOENT') this.#hooks.debug({ path }, 'gone before it was opened');
      else this.#hooks.warnOnce(path, { code }, 'cannot open file; skipped');
      return;
    }
    this.#budget.opened();
    let keep = false;
    try {
      keep = this.#decide(path, fd, key, now, first);
    } catch {}
    if (!keep) this.#budget.discard(fd);
  }

  #decide(path: string, fd: number, key: string, now: number, first: boolean): boolean {
    const o = this.#options;
    const files = this.#files;
    const st = fstatSync(fd);
    if (identity(st.dev, st.ino) !== key) return false; // replaced between stat and open: next poll
    const head = readAtSync(fd, o.fingerprint_size, 0);
    if (head.length < 2 && head[0] === 0x1f) return false; // maybe gzip: wait for the second byte
    const d = decide(
      {
        head,
        size: st.size,
        saved: files.saved.get(key),
        released: files.released.get(key),
        heldSince: this.#held.get(key),
        bytesAt: (position, length) => tryRead(() => readAtSync(fd, length, position)) ?? Buffer.alloc(0),
      },
      {
        live: files.live.values(),
        startAtEnd: first && this.#firstStart && o.start_at === 'end',
        now,
        holdMs: o.holdMs,
      },
    );
    if (d.kind !== 'hold' || !this.#held.has(key))
      this.#hooks.debug(
        {
          path,
          key,
          size: st.size,
          decision: d.kind,
          ...('offset' in d && { offset: d.offset }),
          ...(d.kind === 'copy' && { of: d.of.key }),
          ...(d.kind === 'return' && { offset: d.file.offset }),
          first: firstLine(head),
        },
        'new file decided',
      );
    if (d.kind === 'gzip') this.#gzip.add(key);
    if (d.kind === 'hold' && !this.#held.has(key)) this.#held.set(key, now);
    if (d.kind === 'gzip' || d.kind === 'hold') return false;
    this.#held.delete(key);
    files.saved.delete(key);
    files.released.delete(key);
    let f: TrackedFile;
    if (d.kind === 'return') {
      f = d.file;
      this.#budget.attach(f, fd);
      f.renamed(path);
      f.listed();
      this.#sizes.update(f, st.size, now);
    } else {
      const offset = d.kind === 'resume' || d.kind === 'copy' || d.kind === 'new' ? d.offset : 0;
      f = new TrackedFile(path, st, fd, head, offset, now, o.fingerprint_size);
      if (d.kind === 'copy')
        this.#hooks.info(
          { path, copyOf: d.of.path, offset },
          'copytruncate copy: read from the saved offset',
        );
      if (d.kind === 'new' && d.reason === 'inode-reuse')
        this.#hooks.info({ path }, 'inode reused by a new file; reading it from the start');
      if (d.kind === 'resume') {
        f.size = Math.max(st.size, offset);
        f.reachedOffset = true;
        const tail = d.tail;
        const changed =
          tail && offset >= tail.size && !matchesDigest(readAtSync(fd, tail.size, offset - tail.size), tail);
        if (changed) this.#sizes.truncate(f, st.size, now, 'bytes before the saved offset changed', head);
        else this.#sizes.update(f, st.size, now);
      }
    }
    f.seen(now);
    if (f.offset > 0 && !f.reading.skipping) {
      const before = readAtSync(fd, 1, f.offset - 1);
      // Resuming inside a line (the rest of a cut line, or start_at: end mid-line): skip to its end.
      f.reading.skipToLineEnd(before.length === 1 && before[0] !== 10);
    }
    if (first) f.foundAtStart(st.size);
    files.live.set(key, f);
    o.watch?.add(f);
    return true;
  }
}
