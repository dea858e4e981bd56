// Batches of one file are delivered out of order (several workers, several exporters); the offset
// that may be committed is the end of the longest run of delivered batches from the start. Each
// batch also carries the last bytes before its end, so a checkpoint can store a digest of the bytes
// just before the committed offset and a restart can tell that the file is still the same, and the
// next read can check that the file still holds them (see file-reader.ts).
//
// 1 KiB: the last few lines, with their timestamps or ids. 64 bytes were not enough: lines padded to
// one length (or ending in the same fields) have the same last 64 bytes at the same offsets in the
// next generation of a copytruncate'd file, and the torture read such a generation as the old one.
import { Buffer } from 'node:buffer';

const TAIL = 1024;

interface Entry {
  end: number;
  tail: Uint8Array | undefined;
  done: boolean;
}

export class OffsetTracker {
  committed: number;
  /** Up to 1 KiB just before `committed`; undefined when unknown (skipped bytes, a restart). */
  committedTail: Uint8Array | undefined;
  /** Grows whenever `committed` moves: a checkpoint with nothing new is not written again. */
  version = 0;
  /** The last batch read (delivered or not): where it ends and its last bytes. */
  lastRead: { end: number; tail: Uint8Array } | undefined;
  readonly #pending: Entry[] = [];

  constructor(committed: number, tail?: Uint8Array) {
    this.committed = committed;
    this.committedTail = tail;
  }

  get inFlight(): number {
    return this.#pending.length;
  }

  /** Registers a batch ending at `end` made of `data`; call the returned function when it is delivered. */
  track(end: number, data: Uint8Array): () => void {
    // A copy from Node's Buffer pool (tails are under its 4 KiB limit): a slice would give every
    // read its own ArrayBuffer, a malloc'ed backing store the GC tracks and frees one by one.
    const n = Math.min(TAIL, data.length);
    const tail: Uint8Array = Buffer.allocUnsafe(n);
    tail.set(data.subarray(data.length - n));
    const entry: Entry = { end, tail, done: false };
    this.lastRead = { end, tail };
    this.#pending.push(entry);
    return () => {
      entry.done = true;
      this.#settle();
    };
  }

  /** Bytes that carry no record (the skipped rest of a cut line): committed once what precedes is. */
  skip(end: number): void {
    this.#pending.push({ end, tail: undefined, done: true });
    this.#settle();
  }

  /** Truncation: offsets restart; batches still in flight no longer move the commit point. */
  reset(offset: number): void {
    this.#pending.length = 0;
    this.committed = offset;
    this.committedTail = undefined;
    this.lastRead = undefined;
    this.version++;
  }

  #settle(): void {
    while (this.#pending.length > 0 && this.#pending[0]!.done) {
      const e = this.#pending.shift()!;
      this.committed = e.end;
      this.committedTail = e.tail;
      this.version++;
    }
  }
}
