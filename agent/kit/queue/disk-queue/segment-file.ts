// A segment file: a header, then frames appended until the segment reaches segment_size. A frame is
// [u32 sealed length][u32 records][f64 queued-at ms][sealed record]; the 16-byte frame header is in
// clear (sizes, counts and times, for accounting and expiry without the key) and authenticated as
// the sealed record's associated data. Header: "MTQ1" | u8 version | u8 kid length | kid | u8 salt length | salt.
// A segment is never appended to after a restart, so only its tail can be torn by a crash.
import type { FileHandle } from 'node:fs/promises';
import type { QueueKeys, SealingKey } from './queue-keys.ts';
import type { SegmentCipher } from './segment-cipher.ts';

const MAGIC = Buffer.from('MTQ1');
const VERSION = 1;
export const FRAME_HEADER = 16;
/** The largest frame read back: a payload is at most a few MiB; a bigger length is a torn write. */
export const MAX_FRAME = 256 * 1024 * 1024;
export const SEGMENT_SUFFIX = '.seg';

export function segmentName(id: number): string {
  return `${String(id).padStart(12, '0')}${SEGMENT_SUFFIX}`;
}

export function segmentId(name: string): number | undefined {
  if (!name.endsWith(SEGMENT_SUFFIX)) return undefined;
  const id = Number(name.slice(0, -SEGMENT_SUFFIX.length));
  return Number.isSafeInteger(id) ? id : undefined;
}

export function encodeHeader(key: SealingKey): Buffer {
  const kid = Buffer.from(key.kid, 'utf8');
  return Buffer.concat([
    MAGIC,
    Buffer.from([VERSION, kid.length]),
    kid,
    Buffer.from([key.salt.length]),
    key.salt,
  ]);
}

export interface OpenedHeader {
  /** Where the first frame starts. */
  length: number;
  /** Undefined when no key in the keyring opens the segment; `problem` says why. */
  cipher: SegmentCipher | undefined;
  problem?: string;
}

/**
 * Reads and checks a segment's header; a string says why it is not a segment header. A missing key
 * still gives the header's length, so the frames can be walked (and counted) without it.
 */
export async function readHeader(file: FileHandle, keys: QueueKeys): Promise<OpenedHeader | string> {
  const buf = Buffer.alloc(4 + 2 + 255 + 1 + 255);
  const { bytesRead } = await file.read(buf, 0, buf.length, 0);
  const b = buf.subarray(0, bytesRead);
  if (b.length < 7 || !b.subarray(0, 4).equals(MAGIC)) return 'not a queue segment';
  if (b[4] !== VERSION) return `unknown segment version ${b[4]}`;
  const kidEnd = 6 + b[5]!;
  if (b.length < kidEnd + 1) return 'truncated header';
  const saltEnd = kidEnd + 1 + b[kidEnd]!;
  if (b.length < saltEnd) return 'truncated header';
  const cipher = keys.forSegment(b.toString('utf8', 6, kidEnd), Buffer.from(b.subarray(kidEnd + 1, saltEnd)));
  return typeof cipher === 'string'
    ? { length: saltEnd, cipher: undefined, problem: cipher }
    : { length: saltEnd, cipher };
}

export interface FrameHeader {
  length: number;
  records: number;
  queuedAt: number;
}

export function encodeFrameHeader(h: FrameHeader): Buffer {
  const b = Buffer.allocUnsafe(FRAME_HEADER);
  b.writeUInt32BE(h.length, 0);
  b.writeUInt32BE(h.records, 4);
  b.writeDoubleBE(h.queuedAt, 8);
  return b;
}

export function decodeFrameHeader(b: Buffer): FrameHeader {
  return { length: b.readUInt32BE(0), records: b.readUInt32BE(4), queuedAt: b.readDoubleBE(8) };
}

export interface ScannedSegment {
  frames: number;
  records: number;
  /** Queue time of the last frame (0 when empty). */
  newest: number;
  /** Bytes up to the end of the last whole frame. */
  length: number;
}

/**
 * Walks frame lengths (no decryption) to count whole frames and find where the last one ends; a
 * torn tail (a length past the end of the file, or zero) is cut off, so the file ends on a frame.
 */
export async function scanFrames(file: FileHandle, start: number): Promise<ScannedSegment> {
  const { size } = await file.stat();
  const head = Buffer.alloc(FRAME_HEADER);
  let pos = start;
  const scanned: ScannedSegment = { frames: 0, records: 0, newest: 0, length: start };
  while (pos + FRAME_HEADER <= size) {
    await file.read(head, 0, FRAME_HEADER, pos);
    const h = decodeFrameHeader(head);
    if (h.length === 0 || h.length > MAX_FRAME || pos + FRAME_HEADER + h.length > size) break;
    pos += FRAME_HEADER + h.length;
    scanned.frames++;
    scanned.records += h.records;
    scanned.newest = h.queuedAt;
  }
  if (pos < size) await file.truncate(pos);
  scanned.length = pos;
  return scanned;
}
