// A growable byte buffer for the checkpoint's JSON, written as bytes from the start. The checkpoint
// of 1000 files is rewritten once a second; as strings, the join of each second's pieces (the new
// offsets and tail digests are strings of concatenations, walked piece by piece) cost ~1.4 ms a
// write, 84 of the write's 210 samples (perf, bench/filelog-idle.bench.ts), before the text was
// encoded again to be written. Here each piece is copied once, into the bytes that go to the file.
import { Buffer } from 'node:buffer';

const HEX = Buffer.from('0123456789abcdef', 'latin1');

export class JsonBytes {
  #buf: Buffer;
  #at = 0;

  constructor(capacity = 4096) {
    this.#buf = Buffer.allocUnsafeSlow(Math.max(64, capacity));
  }

  get length(): number {
    return this.#at;
  }

  /** Bytes as they are (pre-encoded JSON: constants, cached entry pieces). */
  bytes(b: Uint8Array): void {
    this.#room(b.length);
    this.#buf.set(b, this.#at);
    this.#at += b.length;
  }

  byte(c: number): void {
    this.#room(1);
    this.#buf[this.#at++] = c;
  }

  /** A number as JSON: safe non-negative integers digit by digit, anything else by String(). */
  number(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) {
      this.text(String(n));
      return;
    }
    this.#room(16);
    const buf = this.#buf;
    let end = this.#at;
    let v = n;
    do {
      end++;
      v = Math.floor(v / 10);
    } while (v > 0);
    this.#at = end;
    v = n;
    do {
      buf[--end] = 48 + (v % 10);
      v = Math.floor(v / 10);
    } while (v > 0);
  }

  /** Text, as UTF-8 (what JSON.stringify made). */
  text(s: string): void {
    this.#room(s.length * 3);
    this.#at += this.#buf.write(s, this.#at, 'utf8');
  }

  /** Bytes as lowercase hex digits (a digest). */
  hex(b: Uint8Array): void {
    this.#room(b.length * 2);
    const buf = this.#buf;
    let at = this.#at;
    for (let i = 0; i < b.length; i++) {
      const x = b[i]!;
      buf[at++] = HEX[x >> 4]!;
      buf[at++] = HEX[x & 15]!;
    }
    this.#at = at;
  }

  /** Forgets what was written (after a failed write). */
  reset(): void {
    this.#at = 0;
  }

  /**
   * What was written, in a buffer of its own (the writer's is reused); a small one is a slice of
   * Node's Buffer pool rather than a memory block of its own for the GC to track.
   */
  take(): Buffer {
    const out = Buffer.allocUnsafe(this.#at);
    this.#buf.copy(out, 0, 0, this.#at);
    this.#at = 0;
    return out;
  }

  #room(n: number): void {
    if (this.#at + n <= this.#buf.length) return;
    const bigger = Buffer.allocUnsafeSlow(Math.max(this.#buf.length * 2, this.#at + n));
    this.#buf.copy(bigger, 0, 0, this.#at);
    this.#buf = bigger;
  }
}

/** ASCII or UTF-8 text as bytes, for the constant pieces. */
export function utf8(s: string): Buffer {
  return Buffer.from(s, 'utf8');
}
