// Writes JSON text as UTF-8 straight into one growable, reused buffer: no per-record strings to
// concatenate and no final encode pass (string ropes plus TextEncoder were slower:
// bench/otlp-encode.bench.ts, bench/RESULTS.md).
import { GrowableBuffer } from './growable-buffer.ts';

// Characters that a JSON string cannot carry raw (quote, backslash, controls) or that need care
// (surrogates: lone ones must be escaped, which JSON.stringify does).
const NEEDS_CARE = /["\\\u0000-\u001f\ud800-\udfff]/;
const SHORT = 64;
const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

export class JsonWriter extends GrowableBuffer {
  /** ASCII text that is already JSON (punctuation, field names, numbers). */
  raw(s: string): void {
    const n = s.length;
    this.ensure(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** A JSON string literal. */
  str(s: string): void {
    const n = s.length;
    this.ensure(n * 3 + 2);
    const buf = this.buf;
    const start = this.pos;
    if (n <= SHORT) {
      let p = start;
      buf[p++] = 0x22;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
          this.careful(s);
          return;
        }
        buf[p++] = c;
      }
      buf[p++] = 0x22;
      this.pos = p;
      return;
    }
    if (NEEDS_CARE.test(s)) {
      this.careful(s);
      return;
    }
    buf[start] = 0x22;
    const written = buf.write(s, start + 1);
    buf[start + 1 + written] = 0x22;
    this.pos = start + written + 2;
  }

  private careful(s: string): void {
    const json = JSON.stringify(s);
    this.ensure(json.length * 3);
    this.pos += this.buf.write(json, this.pos);
  }

  /** A JSON string of lowercase hex (trace and span ids). */
  hex(id: Uint8Array): void {
    this.ensure(id.length * 2 + 2);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = 0x22;
    for (let i = 0; i < id.length; i++) {
      const h = HEX[id[i] as number] as string;
      buf[p++] = h.charCodeAt(0);
      buf[p++] = h.charCodeAt(1);
    }
    buf[p++] = 0x22;
    this.pos = p;
  }

  /** A double: a number, or "NaN" / "Infinity" / "-Infinity" as proto3 JSON spells them. */
  double(n: number): void {
    if (Number.isFinite(n)) this.raw(String(n));
    else this.raw(Number.isNaN(n) ? '"NaN"' : n > 0 ? '"Infinity"' : '"-Infinity"');
  }

  /** A 64-bit integer as a quoted decimal string. */
  int64(n: number | bigint): void {
    this.raw('"' + String(n) + '"');
  }

  base64(b: Uint8Array): void {
    this.raw('"' + Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64') + '"');
  }
}
