// What the kubelet does to a container log (pkg/kubelet/logs/container_log_manager.go): rename
// `0.log` → `0.log.<yyyymmdd-hhmmss>`, have the runtime reopen the log (here: create the new
// file and SIGHUP the writer), and gzip every older rotated file except the most recent one
// (through `<name>.tmp`, renamed to `<name>.gz`, original removed).
import {
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  openSync,
  readdirSync,
  renameSync,
  unlinkSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

export class KubeletRotate {
  readonly #path: string;
  readonly #reopen: () => void;
  /** Rotated files kept uncompressed, newest first (the kubelet keeps 1). */
  readonly #keepPlain: number;
  gzipped = 0;

  constructor(path: string, reopen: () => void, keepPlain = 1) {
    this.#path = path;
    this.#reopen = reopen;
    this.#keepPlain = keepPlain;
  }

  /** One rotation; false when a rotated file of this second already exists (skipped). */
  async rotate(): Promise<boolean> {
    const target = `${this.#path}.${stamp(new Date())}`;
    if (existsSync(target)) return false;
    renameSync(this.#path, target);
    closeSync(openSync(this.#path, 'a'));
    this.#reopen();
    await this.#compressOlder();
    return true;
  }

  async #compressOlder() {
    const dir = dirname(this.#path);
    const prefix = `${basename(this.#path)}.`;
    const plain = readdirSync(dir)
      .filter((n) => n.startsWith(prefix) && /^\d{8}-\d{6}$/.test(n.slice(prefix.length)))
      .sort()
      .reverse();
    for (const name of plain.slice(this.#keepPlain)) {
      const from = join(dir, name);
      await pipeline(createReadStream(from), createGzip(), createWriteStream(`${from}.tmp`));
      renameSync(`${from}.tmp`, `${from}.gz`);
      unlinkSync(from);
      this.gzipped++;
    }
  }
}

/** yyyymmdd-hhmmss in UTC, the kubelet's rotation suffix. */
export function stamp(d: Date): string {
  return d.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}
