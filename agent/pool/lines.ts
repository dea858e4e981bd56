// Cuts a batch into lines. The batch holds whole lines, each ending in '\n' (a missing final '\n'
// is tolerated). Buffer.indexOf(10) is memchr; one utf8 slice per line, never one string per chunk.
import { Buffer } from 'node:buffer';

// An array, not a generator: most segments are one file's second of appends (1-2 lines), and a
// generator (and the counting one around it) per segment cost more than the lines' slicing.
export function lines(data: Uint8Array): string[] {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const out: string[] = [];
  let start = 0;
  while (start < buf.length) {
    let end = buf.indexOf(10, start);
    if (end === -1) end = buf.length;
    const stop = end > start && buf[end - 1] === 13 ? end - 1 : end; // tolerate CRLF
    out.push(buf.toString('utf8', start, stop));
    start = end + 1;
  }
  return out;
}
