// A batch is decoded by a stateless worker, so a CRI partial run (P ... P F) or a docker
// json-file continuation (pieces whose "log" lacks the final "\n") must not straddle two batches.
// The batch is cut before the earliest run that is still open at its end; the next read starts
// there. Scanning runs backwards over bytes, without making strings.
import { Buffer } from 'node:buffer';

export interface Cut {
  /** Where the batch ends: data.length when every run is finished, 0 when all of it is one open run. */
  at: number;
  /** Streams whose run is still open at the end of the data. */
  open: string[];
}

type Format = 'auto' | 'cri' | 'docker' | 'raw';

const DOCKER = Buffer.from('{"log":"');
const STREAM = Buffer.from('"stream":"');

export function partialCut(data: Uint8Array, format: Format): Cut {
  if (format === 'raw') return { at: data.length, open: [] };
  const buf = data instanceof Buffer ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  // The usual batch has no partial piece at all: nothing is open, and no state is needed.
  if (!anyPartial(buf, format)) return { at: buf.length, open: [] };
  const state = new Map<string, 'open' | 'closed'>();
  const runStart = new Map<string, number>();
  let end = buf.length;
  while (end > 0) {
    const start = end >= 2 ? buf.lastIndexOf(10, end - 2) + 1 : 0;
    const line = classify(buf, start, end - 1, format);
    if (line) {
      const st = state.get(line.stream);
      if (st === undefined) {
        state.set(line.stream, line.partial ? 'open' : 'closed');
        if (line.partial) runStart.set(line.stream, start);
      } else if (st === 'open') {
        if (line.partial) runStart.set(line.stream, start);
        else state.set(line.stream, 'closed');
      }
    }
    end = start;
  }
  let at = buf.length;
  for (const s of runStart.values()) at = Math.min(at, s);
  return { at, open: [...runStart.keys()] };
}

/**
 * Whether any line is a CRI partial piece or an unfinished docker piece: false for the usual read,
 * which then needs no cut (and no Cut object, the quick read path asks this first).
 */
export function hasPartial(data: Uint8Array, format: Format): boolean {
  if (format === 'raw') return false;
  return anyPartial(
    data instanceof Buffer ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength),
    format,
  );
}

function anyPartial(buf: Buffer, format: Format): boolean {
  for (let start = 0; start < buf.length; ) {
    let end = buf.indexOf(10, start);
    if (end < 0) end = buf.length;
    if (classify(buf, start, end, format)?.partial) return true;
    start = end + 1;
  }
  return false;
}

/** The stream of a framed line and whether it is a partial piece; undefined for other lines. */
function classify(buf: Buffer, start: number, end: number, format: Format) {
  // The '{' first: a CRI line then costs no Buffer.compare (a native call) for the docker prefix.
  if (format !== 'cri' && buf[start] === 123 && end - start > DOCKER.length && startsAt(buf, start, DOCKER))
    return docker(buf, start, end);
  if (format === 'docker') return undefined;
  return cri(buf, start, end);
}

// `<time> <stream> <P|F>[:flags] <message>`
function cri(buf: Buffer, start: number, end: number) {
  const sp = buf.indexOf(32, start);
  if (sp < 0 || sp >= end || sp - start > 40) return undefined;
  const stream = streamAt(buf, sp);
  if (!stream) return undefined;
  const tag = buf[sp + 8];
  const after = sp + 9;
  if ((tag !== 80 && tag !== 70) || (after < end && buf[after] !== 32 && buf[after] !== 58)) return undefined;
  return { stream, partial: tag === 80 };
}

// `{"log":"text\n","stream":"stdout","time":"..."}`: a piece without the "\n" continues.
function docker(buf: Buffer, start: number, end: number) {
  const k = buf.lastIndexOf(STREAM, end);
  if (k < start + 10 || buf[k - 1] !== 44 || buf[k - 2] !== 34) return undefined;
  const q = buf.indexOf(34, k + STREAM.length);
  if (q < 0 || q > end) return undefined;
  const stream = buf.toString('latin1', k + STREAM.length, q);
  // The log string ends at k-2; it ends in "\n" when preceded by an odd run of backslashes + 'n'.
  let slashes = 0;
  if (buf[k - 3] === 110) for (let i = k - 4; i >= start && buf[i] === 92; i--) slashes++;
  return { stream, partial: slashes % 2 === 0 };
}

/**
 * ' stdout ' or ' stderr ' at `at`, byte by byte: for the one or two lines of a quiet file's read,
 * two Buffer.compare calls cost more than the cut itself (bench/RESULTS.md).
 */
function streamAt(buf: Buffer, at: number): 'stdout' | 'stderr' | undefined {
  if (at + 8 > buf.length || buf[at + 1] !== 115 || buf[at + 2] !== 116 || buf[at + 7] !== 32)
    return undefined;
  const a = buf[at + 3];
  const b = buf[at + 4];
  const c = buf[at + 5];
  const d = buf[at + 6];
  if (a === 100 && b === 111 && c === 117 && d === 116) return 'stdout'; // "dout"
  if (a === 100 && b === 101 && c === 114 && d === 114) return 'stderr'; // "derr"
  return undefined;
}

function startsAt(buf: Buffer, at: number, word: Buffer): boolean {
  if (at + word.length > buf.length) return false;
  return buf.compare(word, 0, word.length, at, at + word.length) === 0;
}
