// The output file with rotation: past max_size or max_age the file is synced, renamed to
// `<path>.<UTC time>` and a new one opened; rotated files are gzipped in the background when asked,
// and pruned past max_backups and max_backup_age. Without rotation it is a plain append-only file.
import { createReadStream, createWriteStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { FileRotationConfig } from './config.ts';

export class RotatingFile {
  readonly #path: string;
  readonly #rotation: FileRotationConfig | undefined;
  readonly #now: () => number;
  #file: FileHandle | undefined;
  #size = 0;
  #openedAt = 0;
  /** No line written since the file was opened or rotated. */
  #fresh = true;
  /** Background compression and pruning; awaited at close. */
  #background: Promise<unknown> = Promise.resolve();

  constructor(path: string, rotation: FileRotationConfig | undefined, now: () => number = Date.now) {
    this.#path = path;
    this.#rotation = rotation;
    this.#now = now;
  }

  async open(): Promise<void> {
    await mkdir(dirname(this.#path), { recursive: true, mode: 0o700 });
    this.#file = await open(this.#path, 'a', 0o600);
    // A file left by an older version (or made by hand) may be wider: what it holds is not.
    await this.#file.chmod(0o600);
    const st = await this.#file.stat();
    this.#size = st.size;
    this.#openedAt = st.size > 0 ? Math.min(st.birthtimeMs || st.mtimeMs, this.#now()) : this.#now();
  }

  /** Appends `buf` whole, rotating first if it would cross a limit. */
  write(buf: Buffer): Promise<void> {
    return this.append(() => buf, buf.length);
  }

  /**
   * Appends what `make` returns, rotating first if `size` bytes would cross a limit; `make` is told
   * whether its bytes start a file (the first since open or rotation), which a sealed line's chain needs.
   */
  async append(make: (fresh: boolean) => Buffer, size: number): Promise<void> {
    if (!this.#file) throw new Error('file not open');
    if (this.#due(size)) await this.#rotate();
    const file = this.#file;
    const buf = make(this.#fresh);
    this.#fresh = false;
    for (let off = 0; off < buf.length; ) {
      const { bytesWritten } = await file.write(buf, off, buf.length - off);
      off += bytesWritten;
    }
    this.#size += buf.length;
  }

  async close(): Promise<void> {
    const file = this.#file;
    this.#file = undefined;
    if (file) {
      try {
        await file.datasync();
      } finally {
        await file.close();
      }
    }
    await this.#background;
  }

  #due(incoming: number): boolean {
    const r = this.#rotation;
    if (!r || this.#size === 0) return false;
    if (r.max_size > 0 && this.#size + incoming > r.max_size) return true;
    return r.max_age > 0 && this.#now() - this.#openedAt >= r.max_age;
  }

  async #rotate(): Promise<void> {
    const old = this.#file!;
    await old.datasync();
    await old.close();
    const rotated = `${this.#path}.${stamp(this.#now())}`;
    await rename(this.#path, rotated);
    this.#file = await open(this.#path, 'a', 0o600);
    this.#fresh = true;
    this.#size = 0;
    this.#openedAt = this.#now();
    const r = this.#rotation!;
    this.#background = this.#background
      .then(async () => {
        if (r.compress === 'gzip') await gzipFile(rotated);
        await this.#prune();
      })
      .catch(() => {});
  }

  /** Deletes rotated files past max_backups (oldest first) and past max_backup_age. */
  async #prune(): Promise<void> {
    const r = this.#rotation!;
    const dir = dirname(this.#path);
    const prefix = `${basename(this.#path)}.`;
    const backups = (await readdir(dir)).filter((n) => n.startsWith(prefix) && !n.endsWith('.tmp')).sort();
    const doomed = new Set(
      r.max_backups > 0 ? backups.slice(0, Math.max(0, backups.length - r.max_backups)) : [],
    );
    if (r.max_backup_age > 0) {
      for (const n of backups) {
        const st = await stat(join(dir, n)).catch(() => undefined);
        if (st && this.#now() - st.mtimeMs > r.max_backup_age) doomed.add(n);
      }
    }
    await Promise.all([...doomed].map((n) => unlink(join(dir, n)).catch(() => {})));
  }
}

/** UTC time that sorts as text: 20261125T151000.123Z. */
function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '');
}

async function gzipFile(path: string): Promise<void> {
  const tmp = `${path}.gz.tmp`;
  await pipeline(createReadStream(path), createGzip(), createWriteStream(tmp, { mode: 0o600 }));
  await rename(tmp, `${path}.gz`);
  await unlink(path);
}
