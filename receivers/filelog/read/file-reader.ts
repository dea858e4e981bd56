// Reads one open file from an offset in chunks of whole lines, into fresh shared buffers that are
// handed to the pipelines without a copy. A partial last line waits for its newline. A line longer
// than max_line_size gives its first max_line_size bytes as a line of its own; the rest of it is
// skipped in 64 KiB probes, so a 50 MiB line costs about 1 MiB of memory and never stops reading.
import { Buffer } from 'node:buffer';
import { read, readSync, readv, readvSync } from 'node:fs';
import { allocShared, releaseShared } from '../../../agent/kit/record/shared-bytes.ts';

export type Read =
  /** Whole lines, ending at file offset `end`; `filled`: the read got all it asked for (readLinesSync). */
  | { kind: 'lines'; data: Uint8Array; end: number; filled?: boolean }
  /** The first max_line_size bytes of a longer line (with a '\n' added), ending at file offset `end`. */
  | { kind: 'cut'; data: Uint8Array; end: number }
  /** The file no longer holds the bytes known to be in it: truncated (and maybe written again). */
  | { kind: 'moved' }
  | { kind: 'none' };

/** Bytes known to be at `at` in the file being read: the last ones read, or its first bytes. */
export interface Known {
  at: number;
  bytes: Uint8Array;
}

const PROBE = 64 * 1024;
/** Up to this far before the offset, the known bytes are read in the same system call as the data. */
const LEAD_MAX = 4096;

/**
 * Reads up to `want` bytes at `offset`, growing up to `maxLineSize` while no line end is found.
 * `known` bytes are read again and compared, so a file truncated and written again since they were
 * read (copytruncate while this reader was slow, even a whole generation at offset 0) gives 'moved'
 * instead of another generation's bytes: within LEAD_MAX before the offset (the last 1 KiB read,
 * or the first bytes while the offset is small) in the same system call as the data (preadv),
 * otherwise by a second read after the data's.
 */
export async function readLines(
  fd: number,
  offset: number,
  size: number,
  want: number,
  maxLineSize: number,
  known?: Known,
): Promise<Read> {
  let len = Math.min(want, size - offset);
  const check = known && known.bytes.length > 0 && known.at <= offset ? known : undefined;
  const lead = check && offset - check.at <= LEAD_MAX ? Buffer.alloc(offset - check.at) : undefined;
  for (;;) {
    if (len <= 0) return { kind: 'none' };
    const buf = allocShared(len);
    let n: number;
    let same = true;
    if (lead) {
      const got = await readvInto(fd, [lead, buf], check!.at);
      n = got - lead.length;
      same = n >= 0 && agrees(check!.bytes, lead, buf.subarray(0, n));
    } else {
      n = await readInto(fd, buf, offset);
      if (check) {
        const again = Buffer.alloc(check.bytes.length);
        same = (await readInto(fd, again, check.at)) === again.length && again.equals(check.bytes);
      }
    }
    if (!same) {
      releaseShared(buf.buffer);
      return { kind: 'moved' };
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

/**
 * readLines for the common case of a live file: a few bytes appended since the last read, read
 * whole (up to `size`) with the known bytes before them in one synchronous pread into a scratch
 * buffer. Undefined when the case is not that one (more than SYNC_READ_MAX, the known bytes too far
 * back): then readLines. No line can be cut here: callers keep `size - offset` below max_line_size.
 * The lines it gives are in that scratch buffer, valid until its next call: the caller copies them
 * (the batch joiner does, for the small reads of many files). Per read this spares readLines'
 * promise hops and a shared buffer and its views (bench/RESULTS.md).
 */
export function readLinesSync(fd: number, offset: number, size: number, known?: Known): Read | undefined {
  const len = size - offset;
  if (len <= 0) return { kind: 'none' };
  const check = known && known.bytes.length > 0 && known.at <= offset ? known : undefined;
  const leadLen = check ? offset - check.at : 0;
  if (leadLen > LEAD_MAX || leadLen + len > SYNC_READ_MAX) return undefined;
  const got = readSync(fd, SCRATCH, 0, leadLen + len, offset - leadLen);
  const n = got - leadLen;
  if (check) {
    // The known bytes begin at the scratch's start: as far as both go, they must be the same.
    const k = Math.min(check.bytes.length, got);
    if (n < 0 || SCRATCH.compare(check.bytes, 0, k, 0, k) !== 0) return { kind: 'moved' };
  }
  const last = n > 0 ? SCRATCH.lastIndexOf(10, got - 1) : -1;
  if (last < leadLen) return { kind: 'none' };
  return {
    kind: 'lines',
    data: SCRATCH.subarray(leadLen, last + 1),
    end: offset + last + 1 - leadLen,
    filled: n === len,
  };
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

/** Whether the bytes `lead` then `data` (contiguous in the file) begin with `bytes`, as far as they go. */
function agrees(bytes: Uint8Array, lead: Uint8Array, data: Uint8Array): boolean {
  const inLead = Math.min(bytes.length, lead.length);
  if (Buffer.compare(bytes.subarray(0, inLead), lead.subarray(0, inLead)) !== 0) return false;
  if (inLead < lead.length) return true;
  const inData = Math.min(bytes.length - inLead, data.length);
  return Buffer.compare(bytes.subarray(inLead, inLead + inData), data.subarray(0, inData)) === 0;
}

/**
 * Small reads are synchronous: they are the few bytes just appended to a live file, in the page
 * cache, and the thread-pool round trip of a callback read costs more than the read itself
 * (bench/RESULTS.md). Large reads (a backfill, a busy file) stay off the main thread.
 */
const SYNC_READ_MAX = 16 * 1024;

/** Where readLinesSync reads the known bytes and the data after them. */
const SCRATCH = Buffer.allocUnsafeSlow(SYNC_READ_MAX);

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
