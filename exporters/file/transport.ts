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
  /** What is written is a copy: the bytes plus a newline, or a sealed line. */
  readonly releasesPayload = true;
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
    const sealer = this.#sealer;
    // Sealed at its turn in the file, so each line takes the next place in its file's chain.
    const write = this.#tail.then(() =>
      sealer
        ? file.append(
            (fresh) => Buffer.from(`${sealer.seal(payload.bytes, fresh, payload.tenant)}\n`),
            sealedSize(payload.bytes.length),
          )
        : file.write(Buffer.concat([payload.bytes, NEWLINE])),
    );
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

/** The size of a sealed line of `n` bytes: base64 of nonce, ciphertext and tag, and its header (< 200 with a v3 wrapped key). */
function sealedSize(n: number): number {
  return 4 * Math.ceil((n + 28) / 3) + 200;
}
