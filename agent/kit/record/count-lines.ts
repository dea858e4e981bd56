// How many lines a batch holds (its '\n' bytes): receivers count what they hand over, the pipeline
// counts what it could not process. Buffer.indexOf searches with memchr, a Uint8Array's indexOf
// compares byte by byte.
import { Buffer } from 'node:buffer';

export function countLines(data: Uint8Array): number {
  const b = data instanceof Buffer ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let n = 0;
  for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
  return n;
}
