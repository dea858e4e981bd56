// The open-file budget: at most max_concurrent_files descriptors at once. When it is spent, the
// least recently read idle file is closed to make room; a closed file is reopened (and checked to
// be the same file) before its next read.
import type { Buffer } from 'node:buffer';
import { close, closeSync, fstat, type Stats } from 'node:fs';
import { identity } from '../checkpoint/checkpoint.ts';
import { openRead } from '../read/open-read.ts';
import type { TrackedFile } from '../tracked-file.ts';
import { fingerprintsMatch, readHead } from './fingerprint.ts';
import { sizeOf } from './stat-sync.ts';

// Set in Descriptor's static block: only this module opens, closes and times a descriptor.
let setFd: (d: Descriptor, fd: number | undefined) => void;
let touch: (d: Descriptor, now: number) => void;
let lastUsed: (d: Descriptor) => number;

/** A file's descriptor: opened and closed by the budget alone, read by everyone. */
export class Descriptor {
  #fd: number | undefined;
  /** When the file was last about to be read: the least recently read idle file is closed first. */
  #lastUsed = 0;

  constructor(fd: number | undefined) {
    this.#fd = fd;
  }

  get fd(): number | undefined {
    return this.#fd;
  }

  static {
    setFd = (d, fd) => {
      d.#fd = fd;
    };
    touch = (d, now) => {
      d.#lastUsed = now;
    };
    lastUsed = (d) => d.#lastUsed;
  }
}

export interface BudgetHooks {
  warnOnce(path: string, detail: Record<string, unknown>, msg: string): void;
  /** A reopened file has other first bytes than it had: truncated and written again while closed. */
  otherHead(f: TrackedFile, size: number, now: number, head: Buffer): void;
}

export class OpenFileBudget {
  readonly #max: number;
  readonly #fingerprintSize: number;
  readonly #hooks: BudgetHooks;
  #open = 0;

  constructor(maxConcurrentFiles: number, fingerprintSize: number, hooks: BudgetHooks) {
    this.#max = maxConcurrentFiles;
    this.#fingerprintSize = fingerprintSize;
    this.#hooks = hooks;
  }

  /** Descriptors open now. */
  get open(): number {
    return this.#open;
  }

  /** Counts a descriptor just opened; `discard` undoes it when the file is not kept. */
  opened(): void {
    this.#open++;
  }

  /** Closes a descriptor counted by `opened` that no file took. */
  discard(fd: number): void {
    this.#open--;
    closeQuietly(fd);
  }

  /** Gives the file a descriptor counted by `opened`. */
  attach(f: TrackedFile, fd: number): void {
    setFd(f.descriptor, fd);
  }

  /**
   * Opens a closed file again before reading it; false when it cannot be read now. An open file
   * answers at once, without a promise (the common case, once per read).
   */
  ensureOpen(f: TrackedFile, now: number, files: Iterable<TrackedFile>): boolean | Promise<boolean> {
    touch(f.descriptor, now);
    if (f.fd !== undefined) return true;
    return this.#reopen(f, now, files);
  }

  async #reopen(f: TrackedFile, now: number, files: Iterable<TrackedFile>): Promise<boolean> {
    if (f.goneSince !== undefined || !this.makeRoom(files)) return false;
    let fd: number;
    try {
      fd = await openRead(f.path);
    } catch (err) {
      this.#hooks.warnOnce(f.path, { code: (err as NodeJS.ErrnoException).code }, 'cannot open file');
      return false;
    }
    const st = await fstatFile(fd);
    if (identity(st.dev, st.ino) !== f.key) {
      await closeFile(fd);
      return false;
    }
    setFd(f.descriptor, fd);
    this.#open++;
    const head = await readHead(fd, this.#fingerprintSize);
    if (!fingerprintsMatch(f.fp, head) && f.fp.length > 0)
      this.#hooks.otherHead(f, sizeOf(fd) ?? st.size, now, head);
    return true;
  }

  async close(f: TrackedFile): Promise<void> {
    if (f.fd === undefined) return;
    const fd = f.fd;
    setFd(f.descriptor, undefined);
    this.#open--;
    await closeFile(fd);
  }

  closeNow(f: TrackedFile): void {
    if (f.fd === undefined) return;
    const fd = f.fd;
    setFd(f.descriptor, undefined);
    this.#open--;
    closeQuietly(fd);
  }

  /** Keeps open handles within max_concurrent_files by closing the least recently read idle file. */
  makeRoom(files: Iterable<TrackedFile>): boolean {
    if (this.#open < this.#max) return true;
    let lru: TrackedFile | undefined;
    for (const f of files)
      if (
        f.fd !== undefined &&
        f.goneSince === undefined &&
        !f.busy &&
        f.offset >= f.size &&
        (!lru || lastUsed(f.descriptor) < lastUsed(lru.descriptor))
      )
        lru = f;
    if (!lru) return false;
    this.closeNow(lru);
    return true;
  }
}

export function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {}
}

function fstatFile(fd: number): Promise<Stats> {
  return new Promise((resolve, reject) => fstat(fd, (err, st) => (err ? reject(err) : resolve(st))));
}

function closeFile(fd: number): Promise<void> {
  return new Promise((resolve) => close(fd, () => resolve()));
}
