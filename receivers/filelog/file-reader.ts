// Reads one open file from an offset in chunks of whole lines, into fresh shared buffers that are
// handed to the pipelines without a copy. A partial last line waits for its newline. A line longer
// than max_line_size gives its first max_line_size bytes as a line of its own; the rest of it is
// skipped in 64 KiB probes, so a 50 MiB line costs about 1 MiB of memory and never stops reading.
import { Buffer } from 'node:buffer';
import { read, readSync, readv, readvSync } from 'node:fs';
import { allocShared, releaseShared } from '../../agent/pipeline/shared-bytes.ts';

export type Read =
  /** Whole lines, ending at file offset `end`. */
  | { kind: 'lines'; data: Uint8Array; end: number }
  /** The first max_line_size bytes of a longer line (with a '\n' added), ending at file offset `end`. */
  | { kind: 'cut'; data: Uint8Array; end: number }
  /** The bytes just before `offset` are no longer the ones read last: truncated and written again. */
  | { kind: 'moved' }
  | { kind: 'none' };

const PROBE = 64 * 1024;

/**
 * Reads up to `want` bytes at `offset`, growing up to `maxLineSize` while no line end is found.
 * `before`, the last bytes read before `offset`, is read again in the same system call (preadv) and
 * compared: a file truncated and written past `offset` since the last read (copytruncate while this
 * reader was slow) gives 'moved' instead of a chunk of another generation's bytes.
 */
export async function readLines(
  fd: number,
  offset: number,
  size: number,
  want: number,
  maxLineSize: number,
  before?: Uint8Array,
): Promise<Read> {
  let len = Math.min(want, size - offset);
  const check =
    before && before.length > 0 && before.length <= offset ? Buffer.alloc(before.length) : undefined;
  for (;;) {
    if (len <= 0) return { kind: 'none' };
    const buf = allocShared(len);
    let n: number;
    if (check) {
      const got = await readvInto(fd, [check, buf], offset - check.length);
      if (got < check.length || !check.equals(before!)) {
        releaseShared(buf.buffer);
        return { kind: 'moved' };
      }
      n = got - check.length;
    } else {
      n = await readInto(fd, buf, offset);
    }
    const last = n > 0 ? buf.lastIndexOf(10, n - 1) : -1;
    if (last >= 0) return { kind: 'lines', data: buf.subarray(0, last + 1), end: offset + last + 1 };
    if (n >= maxLineSize) {
      const out = allocShared(maxLineSize + 1);
      out.set(buf.subarray(0, maxLineSize));
      out[maxLineSize] = 10;
      releaseShared(buf.buffer);
      return { kind: 'cut', data: out, end: offset + maxLineSize };
    }
    releaseShared(buf.buffer); // no batch made of it: recycle now
    if (n < len || offset + n >= size) return { kind: 'none' };
    len = Math.min(len * 4, maxLineSize, size - offset);
  }
}

/** Skips the rest of a cut line: the offset after its '\n', or `size` with `found` false. */
export async function skipLine(
  fd: number,
  offset: number,
  size: number,
): Promise<{ found: boolean; end: number }> {
  const probe = new Uint8Array(PROBE);
  for (let pos = offset; pos < size; ) {
    const n = await readInto(fd, probe, pos);
    if (n === 0) break;
    const i = probe.subarray(0, n).indexOf(10);
    if (i >= 0) return { found: true, end: pos + i + 1 };
    pos += n;
  }
  return { found: false, end: Math.max(offset, size) };
}

/** The bytes of an unterminated last line, with a '\n' added: emitted when its file is let go. */
export async function readTail(
  fd: number,
  offset: number,
  size: number,
  maxLineSize: number,
): Promise<Uint8Array> {
  const len = Math.min(size - offset, maxLineSize);
  const buf = allocShared(len + 1);
  const n = await readInto(fd, buf.subarray(0, len), offset);
  buf[n] = 10;
  return buf.subarray(0, n + 1);
}

/**
 * Small reads are synchronous: they are the few bytes just appended to a live file, in the page
 * cache, and the thread-pool round trip of a callback read costs more than the read itself. With
 * 1000 files appended once a second, callback reads took 2.8 % of a core on the main thread
 * (bench/filelog-idle.bench.ts). Large reads (a backfill, a busy file) stay off the main thread.
 */
const SYNC_READ_MAX = 16 * 1024;

/** readInto over several buffers, contiguous in the file, in one system call (preadv). */
function readvInto(fd: number, bufs: Uint8Array[], position: number): Promise<number> {
  if (bufs.reduce((n, b) => n + b.length, 0) <= SYNC_READ_MAX) {
    try {
      return Promise.resolve(readvSync(fd, bufs, position));
    } catch (err) {
      return Promise.reject(err);
    }
  }
  return new Promise((resolve, reject) => {
    readv(fd, bufs, position, (err, n) => (err ? reject(err) : resolve(n)));
  });
}

function readInto(fd: number, buf: Uint8Array, position: number): Promise<number> {
  if (buf.length <= SYNC_READ_MAX) {
    try {
      return Promise.resolve(readSync(fd, buf, 0, buf.length, position));
    } catch (err) {
      return Promise.reject(err);
    }
  }
  return new Promise((resolve, reject) => {
    read(fd, buf, 0, buf.length, position, (err, n) => (err ? reject(err) : resolve(n)));
  });
}
