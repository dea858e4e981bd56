// What a file never tracked under its device+inode is: a gzipped rotation (never read), the file
// of a checkpoint or a file let go earlier (resumed), a new file on a reused inode (read from 0), a
// copytruncate copy of a tracked file (read from the offset its generation was read to), a possible
// copy not yet confirmed (held for a moment), or a new file.
//
// A copy is matched against every generation a live file lost to a truncation lately, not only the
// last: the original can be truncated again before its copy is listed. A generation matches by its
// first bytes, and the copy must hold the last bytes read from that generation just before the
// offset (generations can share their first KiB: a header, a repeated first line).
import { Buffer } from 'node:buffer';
import type { FileCheckpoint } from '../checkpoint/checkpoint.ts';
import type { TrackedFile, Truncation } from '../tracked-file.ts';
import { fingerprintsMatch, isGzip, matchesDigest } from './fingerprint.ts';

export type Decision =
  | { kind: 'gzip' }
  | { kind: 'resume'; offset: number; tail: FileCheckpoint['tail'] }
  | { kind: 'return'; file: TrackedFile }
  | { kind: 'copy'; of: TrackedFile; offset: number }
  | { kind: 'hold' }
  | { kind: 'new'; offset: number; reason: 'new' | 'inode-reuse' | 'start-at-end' };

export interface Candidate {
  head: Buffer;
  size: number;
  /** The checkpoint entry saved under the same device+inode. */
  saved: FileCheckpoint | undefined;
  /** A file let go earlier under the same device+inode. */
  released: TrackedFile | undefined;
  /** When the candidate was first held as a possible copy. */
  heldSince: number | undefined;
  /** The candidate's bytes at a position (fewer at its end). */
  bytesAt(position: number, length: number): Uint8Array;
}

export interface Context {
  live: Iterable<TrackedFile>;
  startAtEnd: boolean;
  now: number;
  /**
   * How long a possible copy of a live, not (yet) truncated file is held before it counts as new
   * (longer while that file is in a read turn), and how long a truncated generation is remembered.
   */
  holdMs: number;
}

export function decide(c: Candidate, ctx: Context): Decision {
  if (isGzip(c.head)) return { kind: 'gzip' };
  // A freed inode is reused at once (logrotate deletes the old copy, then writes the new one): a
  // file whose first bytes differ from what its inode held before is a new file — but possibly a
  // copytruncate copy, so it goes through the copy checks below like any unknown file.
  let reused = false;
  if (c.released) {
    if (fingerprintsMatch(c.released.fp, c.head)) return { kind: 'return', file: c.released };
    reused = true;
  } else if (c.saved) {
    const fp = c.saved.fingerprint;
    // A file now shorter than its saved fingerprint changed: the caller's truncation check sees it.
    if (!fp || fp.size === 0 || c.head.length < fp.size || matchesDigest(c.head, fp))
      return { kind: 'resume', offset: c.saved.offset, tail: c.saved.tail };
    reused = true;
  }
  let possibleCopy: false | 'waiting' | 'busy' = false;
  let unproven: Decision | undefined;
  for (const t of ctx.live) {
    for (const g of t.truncations) {
      if (ctx.now - g.at > ctx.holdMs || !fingerprintsMatch(g.fp, c.head)) continue;
      const same = holdsTail(c, g);
      if (same === true) return { kind: 'copy', of: t, offset: g.offset };
      if (same === undefined) unproven ??= { kind: 'copy', of: t, offset: g.offset };
    }
    // logrotate copies, then truncates: a copy may be seen before the truncation is. While the
    // original is in a read turn (slowed by backpressure) its truncation cannot be seen: wait for it.
    if (t.goneSince === undefined && fingerprintsMatch(t.fp, c.head) && c.head.length >= t.fp.length)
      possibleCopy = t.busy || t.recheck ? 'busy' : possibleCopy || 'waiting';
  }
  if (unproven) return unproven;
  if (
    possibleCopy === 'busy' ||
    (possibleCopy && (c.heldSince === undefined || ctx.now - c.heldSince < ctx.holdMs))
  )
    return { kind: 'hold' };
  if (reused) return { kind: 'new', offset: 0, reason: 'inode-reuse' };
  if (ctx.startAtEnd) return { kind: 'new', offset: c.size, reason: 'start-at-end' };
  return { kind: 'new', offset: 0, reason: 'new' };
}

/**
 * Whether the candidate holds, just before the generation's offset, the last bytes read from it:
 * undefined when that cannot be told (those bytes unknown, or the candidate ends before them: the
 * reads went past the moment of the copy).
 */
function holdsTail(c: Candidate, g: Truncation): boolean | undefined {
  const tail = g.tail;
  if (!tail || tail.length === 0) return undefined;
  const from = g.offset - tail.length;
  const got = c.bytesAt(from, tail.length);
  if (got.length === 0) return undefined;
  return Buffer.compare(got, tail.subarray(0, got.length)) === 0;
}
