// Acknowledged offsets per file, written under service.data_dir with write + fsync + rename so a
// crash leaves either the old or the new file, never a torn one.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface FileCheckpoint {
  path: string;
  dev: number;
  ino: number;
  offset: number;
}

export class CheckpointStore {
  readonly #file: string;

  constructor(file: string) {
    this.#file = file;
  }

  /** Returns undefined when there has never been a checkpoint (the agent's first start). */
  load(): Map<string, FileCheckpoint> | undefined {
    let text: string;
    try {
      text = readFileSync(this.#file, 'utf8');
    } catch {
      return undefined;
    }
    const list = (JSON.parse(text) as { files: FileCheckpoint[] }).files;
    return new Map(list.map((c) => [identity(c.dev, c.ino), c]));
  }

  save(files: Iterable<FileCheckpoint>): void {
    mkdirSync(dirname(this.#file), { recursive: true });
    const tmp = `${this.#file}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify({ version: 1, files: [...files] }));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.#file);
  }
}

export function identity(dev: number, ino: number): string {
  return `${dev}:${ino}`;
}
