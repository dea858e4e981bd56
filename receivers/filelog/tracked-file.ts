// One file being tailed: its identity (device, inode, fingerprint, path) and read position (offset,
// size, acknowledged offsets). State other parts keep on it is theirs, set only by them: the
// descriptor is the open-file budget's (identity/open-file-budget.ts), the turns' bookkeeping the
// read turn's (read/read-state.ts), the change marks the watch's (Watched, watch/change-watch.ts),
// the cached checkpoint entry the checkpoint writer's (checkpoint/checkpoint-writer.ts).
import type { Buffer } from 'node:buffer';
import type { Stats } from 'node:fs';
import { identity } from './checkpoint/checkpoint.ts';
import { EntryCache } from './checkpoint/checkpoint-writer.ts';
import { OffsetTracker } from './checkpoint/offset-tracker.ts';
import { Descriptor } from './identity/open-file-budget.ts';
import type { Known } from './read/file-reader.ts';
import { ReadState } from './read/read-state.ts';
import { Watched } from './watch/change-watch.ts';

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

export class TrackedFile extends Watched {
  #path: string;
  readonly dev: number;
  readonly ino: number;
  readonly key: string;
  /** Open or closed by the open-file budget (max_concurrent_files). */
  readonly descriptor: Descriptor;
  /** The first fingerprint_size bytes (fewer while the file is shorter). */
  fp: Buffer;
  /** Next byte to read. */
  offset: number;
  /** Size at the last stat. */
  size: number;
  readonly acked: OffsetTracker;
  /** False for a copytruncate copy still shorter than the offset it starts at: not a truncation. */
  reachedOffset: boolean;
  /** The generations truncated away lately, newest first: a copytruncate copy is recognised by these. */
  truncations: Truncation[] = [];
  /** The read turns' bookkeeping (read/read-state.ts). */
  readonly reading = new ReadState();
  #goneSince: number | undefined;
  #stillPolls = 0;
  #backfill: { start: number; end: number } | undefined;
  #seenAt: number;
  /** Its checkpoint entry's JSON pieces of the last write, kept by checkpoint/checkpoint-writer.ts. */
  readonly checkpointEntry = new EntryCache();
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
    super();
    this.#path = path;
    this.dev = st.dev;
    this.ino = st.ino;
    this.key = identity(st.dev, st.ino);
    this.descriptor = new Descriptor(fd);
    this.fp = fp;
    this.offset = offset;
    this.size = st.size;
    this.acked = new OffsetTracker(offset);
    this.reachedOffset = st.size >= offset;
    this.#seenAt = now;
    this.#fingerprintSize = fingerprintSize;
  }

  /** The first matched path that names the file (a symlink's own path when that matched first). */
  get path(): string {
    return this.#path;
  }

  /** The file is found, or is to be reopened, under another name (a rotation). */
  renamed(path: string): void {
    this.#path = path;
  }

  /** Set while the file is not in the listing (renamed away or deleted): read to its end, then let go. */
  get goneSince(): number | undefined {
    return this.#goneSince;
  }

  /** Polls in a row, while gone, in which the size did not change. */
  get stillPolls(): number {
    return this.#stillPolls;
  }

  /** A poll found it in the listing (again). */
  listed(): void {
    this.#goneSince = undefined;
  }

  /** A poll's listing no longer shows it: from now on it is read to its end, then let go. */
  gone(now: number): void {
    this.#goneSince = now;
  }

  /** While gone: counts the polls in a row at which its size stayed the same. */
  stillAt(size: number): void {
    this.#stillPolls = size === this.size ? this.#stillPolls + 1 : 0;
  }

  /** While gone, it grew: not finished yet. */
  grew(): void {
    this.#stillPolls = 0;
  }

  /** ms since the epoch when last seen in the listing, for checkpoint retention. */
  get seenAt(): number {
    return this.#seenAt;
  }

  /** A poll found it in the listing (or stat'ed it through its descriptor) at `now`. */
  seen(now: number): void {
    this.#seenAt = now;
  }

  /** Backfill accounting: bytes from `start` to `end` existed when the receiver started. */
  get backfill(): { readonly start: number; readonly end: number } | undefined {
    return this.#backfill;
  }

  /** Found by the receiver's first poll, `size` bytes long: what lies past the offset is backfill. */
  foundAtStart(size: number): void {
    this.#backfill = { start: this.offset, end: Math.max(this.offset, size) };
  }

  /** True during a read turn: the poll leaves the file alone until the next round (read-state.ts). */
  get busy(): boolean {
    return this.reading.busy;
  }

  /** The poll skipped this file while it was busy: check it again after the turn (read-state.ts). */
  get recheck(): boolean {
    return this.reading.recheck;
  }

  /** Its descriptor while open (open-file-budget.ts). */
  get fd(): number | undefined {
    return this.descriptor.fd;
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
      !this.reading.skipping &&
      !this.reading.complete &&
      !this.recheck &&
      !this.reading.moved &&
      this.reading.continued.length === 0
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
