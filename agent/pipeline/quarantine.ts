// Where a batch goes when a security processor could not run on it (its worker died, it ran past
// the time budget, the processor threw): sealed on disk in data_dir, never sent as it is. Each held
// batch is one file `<time>-<uuid>.held` (0600, in 0700 directories): the task as the pool took
// it, v8-serialized, sealed with AES-256-GCM under the node's quarantine key (`quarantine/key`,
// 0600, made on first use) with the pipeline id as associated data. A held batch counts as
// acknowledged (its offset may be committed) once its file is written and fsynced, because the next
// start replays it (Pipeline.replayHeld). No content is ever logged.
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { WorkerTask } from '../pool/task.ts';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MAGIC = Buffer.from('MTQ1');
const SUFFIX = '.held';

export class Quarantine {
  readonly dir: string;
  readonly #root: string;
  readonly #pipeline: string;
  #key: Buffer | undefined;

  /** `root` is `<data_dir>/quarantine`; each pipeline has its own folder under it. */
  constructor(root: string, pipeline: string) {
    this.#root = root;
    this.#pipeline = pipeline;
    this.dir = join(root, encodeURIComponent(pipeline));
  }

  /** Seals and fsyncs the task; resolves to the file name. Throws if the disk refuses. */
  hold(task: WorkerTask): string {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    // The pool's data is a view of a SharedArrayBuffer, which v8.serialize cannot carry: copy it.
    const plain = serialize({ ...task, data: new Uint8Array(task.data) });
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#keyOf(), iv);
    cipher.setAAD(Buffer.from(this.#pipeline));
    const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
    const name = `${Date.now()}-${randomUUID()}${SUFFIX}`;
    writeDurably(this.dir, name, [MAGIC, iv, cipher.getAuthTag(), sealed]);
    return name;
  }

  /** The held batches' file names, oldest first; each is read only when replayed (open). */
  names(): string[] {
    try {
      return readdirSync(this.dir)
        .filter((n) => n.endsWith(SUFFIX))
        .sort();
    } catch {
      return [];
    }
  }

  /** A held batch's task; throws when the file does not open (altered, another node's key). */
  open(name: string): WorkerTask {
    return this.#open(readFileSync(join(this.dir, name)));
  }

  /** Forgets a batch once it is delivered. */
  release(name: string): void {
    unlinkSync(join(this.dir, name));
  }

  #open(file: Buffer): WorkerTask {
    if (!file.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a held batch');
    const ivAt = MAGIC.length;
    const tagAt = ivAt + IV_BYTES;
    const at = tagAt + TAG_BYTES;
    const iv = file.subarray(ivAt, tagAt);
    const tag = file.subarray(tagAt, at);
    const decipher = createDecipheriv('aes-256-gcm', this.#keyOf(), iv);
    decipher.setAAD(Buffer.from(this.#pipeline));
    decipher.setAuthTag(tag);
    const plain = Buffer.concat([decipher.update(file.subarray(at)), decipher.final()]);
    return deserialize(plain) as WorkerTask;
  }

  #keyOf(): Buffer {
    if (this.#key) return this.#key;
    mkdirSync(this.#root, { recursive: true, mode: 0o700 });
    const path = join(this.#root, 'key');
    try {
      const mode = statSync(path).mode & 0o777;
      if ((mode & 0o077) !== 0) throw new Error(`${path} is readable by group or others; refusing it`);
      this.#key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      const key = randomBytes(KEY_BYTES);
      writeDurably(this.#root, 'key', [Buffer.from(`${key.toString('base64')}\n`)]);
      this.#key = key;
    }
    if (this.#key.length !== KEY_BYTES) throw new Error(`${path} does not hold a ${KEY_BYTES}-byte key`);
    return this.#key;
  }
}

/** Writes a file whole or not at all: a temp file, fsync, rename, fsync of the directory. */
function writeDurably(dir: string, name: string, chunks: Buffer[]): void {
  const tmp = join(dir, `.${name}.tmp`);
  const fd = openSync(tmp, 'w', 0o600);
  try {
    for (const c of chunks) writeSync(fd, c);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, name));
  const dfd = openSync(dir, 'r');
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
}
