// One file being tailed: its identity, descriptor (open or closed to respect max_concurrent_files),
// read position, acknowledged position and what the poll loop has noticed about it.
import type { Buffer } from 'node:buffer';
import { close, fstat, type Stats } from 'node:fs';
import { identity } from './checkpoint/checkpoint.ts';
import type { CheckpointJson } from './checkpoint/checkpoint-writer.ts';
import { OffsetTracker } from './checkpoint/offset-tracker.ts';
import type { Known } from './read/file-reader.ts';
import type { DirWatch, Watched } from './watch/change-watch.ts';

/** One generation of a file, as it was when a truncation ended it. */
export interface Truncation {
  /** Its first bytes. */
  fp: Buffer;
  /** How far it had been read: a copy of it is read from here. */
  offset: number;
  /** The last bytes read before `offset` (up to 1 KiB), when known: a copy of it holds them there. */
  tail: Uint8Array | undefined;
  /** When the truncation was seen. */
  at: number;
}

export class TrackedFile implements Watched {
  /** The first matched path that names the file (a symlink's own path when that matched first). */
  path: string;
  readonly dev: number;
  readonly ino: number;
  readonly key: string;
  fd: number | undefined;
  /** The first fingerprint_size bytes (fewer while the file is shorter). */
  fp: Buffer;
  /** Next byte to read. */
  offset: number;
  /** Size at the last stat. */
  size: number;
  readonly acked: OffsetTracker;
  /** Set while the file is not in the listing (renamed away or deleted): read to its end, then let go. */
  goneSince: number | undefined;
  /** Polls in a row, while gone, in which the size did not change. */
  stillPolls = 0;
  /** The writer is done with it (retention saw the writer reopen): an unterminated last line is read as is. */
  complete = false;
  /** True during a read turn: the poll leaves the file alone until the next round. */
  busy = false;
  /** The poll skipped this file while it was busy: check it again after the turn. */
  recheck = false;
  /** A read found other bytes before the offset than it read last: the recheck after the turn truncates. */
  moved = false;
  /** Inside the rest of a line cut at max_line_size: bytes are skipped up to the next '\n'. */
  skipping = false;
  /** Streams whose reassembled run was cut at the end of the previous batch (max_log_size). */
  continued: string[] = [];
  /** Since when an unfinished partial run waits at the end of the file. */
  waitingSince: number | undefined;
  /** False for a copytruncate copy still shorter than the offset it starts at: not a truncation. */
  reachedOffset: boolean;
  /** The generations truncated away lately, newest first: a copytruncate copy is recognised by these. */
  truncations: Truncation[] = [];
  /** Change notifications (change-watch.ts): an event named it since its last stat. */
  dirty = true;
  /** A create, rename or delete in its directory since its path was last stat'ed by name. */
  pathDirty = true;
  /** The watch on its directory, while that works; without one it is stat'ed on every poll. */
  watch: DirWatch | undefined;
  /** Set by the poll for this round: watched, no event, so not stat'ed. */
  unchanged = false;
  lastUsed = 0;
  /** Backfill accounting: bytes from `start` to `end` existed when the receiver started. */
  backfill: { start: number; end: number } | undefined;
  /** ms since the epoch when last seen in the listing, for checkpoint retention. */
  seenAt: number;
  /** Its checkpoint entry's JSON pieces of the last write (checkpoint-writer.ts). */
  checkpointJson: CheckpointJson | undefined;
  /** Set by a polled directory's tick: the next turn reads at the offset before any stat (read/read-turn.ts). */
  probe = false;
  readonly #fingerprintSize: number;

  constructor(
    path: string,
    st: Stats,
    fd: number | undefined,
    fp: Buffer,
    offset: number,
    now: number,
    fingerprintSize: number,
  ) {
    this.path = path;
    this.dev = st.dev;
    this.ino = st.ino;
    this.key = identity(st.dev, st.ino);
    this.fd = fd;
    this.fp = fp;
    this.offset = offset;
    this.size = st.size;
    this.acked = new OffsetTracker(offset);
    this.reachedOffset = st.size >= offset;
    this.seenAt = now;
    this.#fingerprintSize = fingerprintSize;
  }

  /**
   * Whether a read at the offset tells all a stat would: open, in the listing, past its saved offset,
   * its fingerprint whole (a short one is read again as the file grows) and nothing pending that a
   * stat settles. A read that finds nothing or the wrong bytes before the offset still asks for one.
   */
  get probeable(): boolean {
    return (
      this.fd !== undefined &&
      this.goneSince === undefined &&
      this.reachedOffset &&
      this.fp.length >= this.#fingerprintSize &&
      !this.skipping &&
      !this.complete &&
      !this.recheck &&
      !this.moved &&
      this.continued.length === 0
    );
  }

  /** The last bytes read (up to 1 KiB), when they end at the offset; unknown after skipped bytes, a restart, a truncation. */
  get readTail(): Uint8Array | undefined {
    const last = this.acked.lastRead;
    return last && last.end === this.offset ? last.tail : undefined;
  }

  /** What a read must still find in the file: the last bytes read, else the first bytes. */
  get known(): Known | undefined {
    const tail = this.readTail;
    if (tail) return { at: this.offset - tail.length, bytes: tail };
    return this.fp.length > 0 ? { at: 0, bytes: this.fp } : undefined;
  }

  get lag(): number {
    return Math.max(0, this.size - this.acked.committed);
  }
}

export function fstatFile(fd: number): Promise<Stats> {
  return new Promise((resolve, reject) => fstat(fd, (err, st) => (err ? reject(err) : resolve(st))));
}

export function closeFile(fd: number): Promise<void> {
  return new Promise((resolve) => close(fd, () => resolve()));
}
