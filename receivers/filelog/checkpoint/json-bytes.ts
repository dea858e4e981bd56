// A growable byte buffer for the checkpoint's JSON, written as bytes from the start: the checkpoint
// of every file is rewritten once a second, and as strings each write joined its pieces and then
// encoded the text again (bench/RESULTS.md). Here each piece is copied once, into the bytes that go
// to the file.
import { Buffer } from 'node:buffer';

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
    // In two halves under 2^31, so that the digits come from integer arithmetic.
    const hi = Math.floor(n / 1e8);
    const lo = n - hi * 1e8;
    if (hi > 0) {
      this.#digits(hi);
      this.#digits8(lo);
    } else this.#digits(lo);
  }

  /** `v` (0 <= v < 2^31) without leading zeros. */
  #digits(v: number): void {
    const buf = this.#buf;
    let end = this.#at;
    for (let x = v; x >= 10; x = (x / 10) | 0) end++;
    this.#at = end + 1;
    let x = v;
    do {
      buf[end--] = 48 + (x % 10);
      x = (x / 10) | 0;
    } while (x > 0);
  }

  /** `v` (0 <= v < 1e8) as exactly 8 digits. */
  #digits8(v: number): void {
    const buf = this.#buf;
    let x = v;
    for (let i = this.#at + 7; i >= this.#at; i--) {
      buf[i] = 48 + (x % 10);
      x = (x / 10) | 0;
    }
    this.#at += 8;
  }

  /** ASCII text (constants, hex digests) as it is. */
  ascii(s: string): void {
    this.#room(s.length);
    this.#at += this.#buf.write(s, this.#at, 'latin1');
  }

  /** Text, as UTF-8 (what JSON.stringify made). */
  text(s: string): void {
    this.#room(s.length * 3);
    this.#at += this.#buf.write(s, this.#at, 'utf8');
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
