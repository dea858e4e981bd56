// What a file never tracked under its device+inode is: a gzipped rotation (never read), the file
// of a checkpoint or a file let go earlier (resumed), a new file on a reused inode (read from 0), a
// copytruncate copy of a tracked file (read from that file's offset), a possible copy not yet
// confirmed (held for a moment), or a new file.
import type { Buffer } from 'node:buffer';
import type { FileCheckpoint } from '../checkpoint.ts';
import { fingerprintsMatch, isGzip, matchesDigest } from '../fingerprint.ts';
import type { TrackedFile } from '../tracked-file.ts';

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
}

export interface Context {
  live: Iterable<TrackedFile>;
  startAtEnd: boolean;
  now: number;
  /** How long a possible copy of a live, not (yet) truncated file is held before it counts as new. */
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
  let possibleCopy = false;
  for (const t of ctx.live) {
    const before = t.truncatedFrom;
    if (before && ctx.now - before.at <= ctx.holdMs && fingerprintsMatch(before.fp, c.head))
      return { kind: 'copy', of: t, offset: before.offset };
    // logrotate copies, then truncates: a copy may be seen before the truncation is.
    if (t.goneSince === undefined && fingerprintsMatch(t.fp, c.head) && c.head.length >= t.fp.length)
      possibleCopy = true;
  }
  if (possibleCopy && (c.heldSince === undefined || ctx.now - c.heldSince < ctx.holdMs))
    return { kind: 'hold' };
  if (reused) return { kind: 'new', offset: 0, reason: 'inode-reuse' };
  if (ctx.startAtEnd) return { kind: 'new', offset: c.size, reason: 'start-at-end' };
  return { kind: 'new', offset: 0, reason: 'new' };
}
