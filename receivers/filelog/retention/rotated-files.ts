// The rotated files the retention policy keeps until they are delivered, saved under the
// receiver's data dir so a restart still reads them to their end and deletes them (and never
// touches a file it did not rotate). A rotation is saved before the rename: a crash in between
// leaves an entry whose inode is still at `base`, dropped at the next start.
import { readFileSync } from 'node:fs';
import { writeDurably } from '../checkpoint/durable-write.ts';

export interface RotatedFile {
  /** The path the writer writes to; the file was renamed away from it. */
  base: string;
  /** Where it is now: `<base>.<UTC time>`. */
  path: string;
  dev: number;
  ino: number;
  /** ms since the epoch. */
  rotated_at: number;
}

export class RotatedFileStore {
  readonly #file: string;

  constructor(file: string) {
    this.#file = file;
  }

  get file(): string {
    return this.#file;
  }

  /** The saved list; empty when there is none. Throws when the file exists but is not readable. */
  load(): RotatedFile[] {
    let text: string;
    try {
      text = readFileSync(this.#file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return (JSON.parse(text) as { rotated: RotatedFile[] }).rotated;
  }

  save(rotated: readonly RotatedFile[]): void {
    const list = rotated.map(({ base, path, dev, ino, rotated_at }) => ({
      base,
      path,
      dev,
      ino,
      rotated_at,
    }));
    writeDurably(this.#file, JSON.stringify({ version: 1, rotated: list }));
  }
}
