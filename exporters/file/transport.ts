// Appends each payload (one OTLP/JSON Export*ServiceRequest, already encoded by the worker) as one
// line: the Collector file exporter's format, readable by its tools. Writes are chained so lines
// from concurrent consumers never interleave.
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Payload } from '../../agent/component.ts';
import type { SendResult, Transport } from '../../agent/exporter-helper/transport.ts';
import { permanent, retryable, SENT } from '../../agent/retry/send-result.ts';
import type { FileConfig } from './config.ts';

const NEWLINE = Buffer.from('\n');
/** Conditions that can clear by themselves (disk space freed, descriptors released). */
const RETRYABLE_CODES = new Set(['ENOSPC', 'EDQUOT', 'EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'EIO']);

export class FileTransport implements Transport {
  readonly #path: string;
  #file: FileHandle | undefined;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(config: FileConfig) {
    this.#path = config.path;
  }

  async start(): Promise<void> {
    await mkdir(dirname(this.#path), { recursive: true });
    this.#file = await open(this.#path, 'a');
  }

  send(payload: Payload): Promise<SendResult> {
    const file = this.#file;
    if (!file) return Promise.resolve(permanent('file exporter not started'));
    const line = Buffer.concat([payload.bytes, NEWLINE]);
    const write = this.#tail.then(() => writeAll(file, line));
    this.#tail = write.catch(() => {});
    return write.then(
      () => SENT,
      (err: NodeJS.ErrnoException) => {
        const text = `${this.#path}: ${err.code ?? err.message}`;
        return err.code && RETRYABLE_CODES.has(err.code) ? retryable(text) : permanent(text);
      },
    );
  }

  async shutdown(): Promise<void> {
    const file = this.#file;
    this.#file = undefined;
    if (!file) return;
    await this.#tail;
    try {
      await file.datasync();
    } finally {
      await file.close();
    }
  }
}

/** A short write leaves the rest of the line unwritten; finish it so every line is whole. */
async function writeAll(file: FileHandle, buf: Buffer): Promise<void> {
  for (let off = 0; off < buf.length; ) {
    const { bytesWritten } = await file.write(buf, off, buf.length - off);
    off += bytesWritten;
  }
}
