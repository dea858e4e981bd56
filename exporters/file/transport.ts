// Appends each payload (one OTLP/JSON Export*ServiceRequest, already encoded by the worker) as one
// line: the Collector file exporter's format, readable by its tools; with `encryption`, each line is
// sealed (line-sealer.ts). Writes are chained so lines from concurrent consumers never interleave.
import type { Payload } from '../../agent/kit/component.ts';
import type { SendResult, Transport } from '../../agent/kit/exporter-helper/transport.ts';
import { permanent, retryable, SENT } from '../../agent/kit/retry/send-result.ts';
import type { FileConfig } from './config.ts';
import { LineSealer } from './line-sealer.ts';
import { RotatingFile } from './rotating-file.ts';

const NEWLINE = Buffer.from('\n');
/** Conditions that can clear by themselves (disk space freed, descriptors released). */
const RETRYABLE_CODES = new Set(['ENOSPC', 'EDQUOT', 'EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'EIO']);

export class FileTransport implements Transport {
  readonly #path: string;
  readonly #config: FileConfig;
  #file: RotatingFile | undefined;
  #sealer: LineSealer | undefined;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(config: FileConfig) {
    this.#path = config.path;
    this.#config = config;
  }

  async start(): Promise<void> {
    if (this.#config.encryption) this.#sealer = new LineSealer(this.#config.encryption.keyring);
    const file = new RotatingFile(this.#path, this.#config.rotation);
    await file.open();
    this.#file = file;
  }

  send(payload: Payload): Promise<SendResult> {
    const file = this.#file;
    if (!file) return Promise.resolve(permanent('file exporter not started'));
    const body = this.#sealer ? Buffer.from(this.#sealer.seal(payload.bytes)) : payload.bytes;
    const line = Buffer.concat([body, NEWLINE]);
    const write = this.#tail.then(() => file.write(line));
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
    await file.close();
  }
}
