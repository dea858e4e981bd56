// Reads one open file from an offset in chunks of whole lines, into fresh shared buffers that are
// handed to the pipelines without a copy. A partial last line waits for its newline.
import { read } from 'node:fs';
import { allocShared } from '../../agent/pipeline/shared-bytes.ts';

export interface Chunk {
  data: Uint8Array;
  /** File offset just after the chunk's last line. */
  end: number;
}

/**
 * Reads up to `bufferSize` bytes at `offset` and returns the whole lines in them, or undefined
 * when there is no complete line yet. A line longer than `maxLineSize` is cut there: the chunk
 * gets a '\n' at the cut and `end` skips to the line's real end once it is found.
 */
export async function readLines(
  fd: number,
  offset: number,
  size: number,
  bufferSize: number,
  maxLineSize: number,
): Promise<Chunk | undefined> {
  let want = Math.min(bufferSize, size - offset);
  for (;;) {
    if (want <= 0) return undefined;
    const buf = allocShared(want);
    const n = await readAt(fd, buf, offset);
    const last = n > 0 ? buf.lastIndexOf(10, n - 1) : -1;
    if (last >= 0) return { data: buf.subarray(0, last + 1), end: offset + last + 1 };
    // No line end yet: a partial line waits for more data; a long line gets a bigger buffer.
    if (n < want || offset + n >= size) {
      if (n < maxLineSize) return undefined;
    } else if (want < maxLineSize) {
      want = Math.min(want * 4, maxLineSize, size - offset);
      continue;
    }
    // Over max_line_size: keep the first max_line_size bytes as the line, skip to its real end.
    const lineEnd = await findLineEnd(fd, offset + n, size);
    if (lineEnd === undefined) return undefined;
    const out = allocShared(maxLineSize + 1);
    out.set(buf.subarray(0, maxLineSize));
    out[maxLineSize] = 10;
    return { data: out, end: lineEnd };
  }
}

async function findLineEnd(fd: number, from: number, size: number): Promise<number | undefined> {
  const probe = new Uint8Array(64 * 1024);
  for (let pos = from; pos < size; ) {
    const n = await readAt(fd, probe, pos);
    if (n === 0) return undefined;
    const i = probe.indexOf(10);
    if (i >= 0 && i < n) return pos + i + 1;
    pos += n;
  }
  return undefined;
}

function readAt(fd: number, buf: Uint8Array, position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    read(fd, buf, 0, buf.length, position, (err, n) => (err ? reject(err) : resolve(n)));
  });
}
