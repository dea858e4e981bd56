// decrypt's private copy of its input (0600 in a fresh 0700 directory), read by both passes: the
// audit entry lists what the first pass found, and the second opens exactly that, even when the
// input is stdin or a file someone rewrites in between. Holds what the input held (sealed data).
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export class Spool {
  readonly path: string;
  readonly #dir: string;

  private constructor(dir: string) {
    this.#dir = dir;
    this.path = join(dir, 'input');
  }

  static async of(source: Readable): Promise<Spool> {
    const spool = new Spool(mkdtempSync(join(tmpdir(), 'meshtail-decrypt-')));
    try {
      await pipeline(source, createWriteStream(spool.path, { mode: 0o600 }));
    } catch (err) {
      spool.remove();
      throw err;
    }
    return spool;
  }

  remove(): void {
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
