// The segment being appended to. Writes are issued one at a time by the queue (its write chain);
// `sync` is the fsync of the policy (always: per append; interval: from the queue's timer).
import { type FileHandle, open } from 'node:fs/promises';
import type { SegmentCipher } from './segment-cipher.ts';

export interface WritableSegment {
  id: number;
  bytes: number;
  frames: number;
  records: number;
  newest: number;
  path: string;
}

export class SegmentWriter {
  readonly segment: WritableSegment;
  readonly cipher: SegmentCipher;
  readonly #file: FileHandle;
  #dirty = false;
  #closed = false;

  private constructor(segment: WritableSegment, file: FileHandle, cipher: SegmentCipher) {
    this.segment = segment;
    this.#file = file;
    this.cipher = cipher;
  }

  /** Creates the file (it must not exist) and writes its header. */
  static async create(
    segment: WritableSegment,
    header: Buffer,
    cipher: SegmentCipher,
  ): Promise<SegmentWriter> {
    const file = await open(segment.path, 'wx', 0o600);
    const w = new SegmentWriter(segment, file, cipher);
    segment.bytes = 0;
    await w.append(header, false);
    return w;
  }

  async append(buf: Buffer, sync: boolean): Promise<void> {
    for (let off = 0; off < buf.length; ) {
      const { bytesWritten } = await this.#file.write(buf, off, buf.length - off, this.segment.bytes + off);
      off += bytesWritten;
    }
    this.segment.bytes += buf.length;
    this.#dirty = true;
    if (sync) await this.sync();
  }

  async sync(): Promise<void> {
    if (!this.#dirty || this.#closed) return;
    this.#dirty = false;
    await this.#file.datasync();
  }

  async close(sync: boolean): Promise<void> {
    if (this.#closed) return;
    if (sync) await this.sync();
    this.#closed = true;
    await this.#file.close();
  }
}
