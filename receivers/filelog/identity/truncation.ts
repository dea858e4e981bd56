// What a new size means for a known file: growth, a truncation (size below the offset, or other
// first bytes), or a copy's offset finally reached. A truncation is handled per on_truncate and
// the generation it ended is remembered, so that a copytruncate copy of it is recognised.
import { Buffer } from 'node:buffer';
import type { FilelogConfig } from '../config.ts';
import type { TrackedFile } from '../tracked-file.ts';
import { fingerprintsMatch, isGzip, readAtSync } from './fingerprint.ts';
import { sizeOf, tryRead } from './stat-sync.ts';

/** Generations remembered per file (within holdMs) to recognise their copies. */
const MAX_TRUNCATIONS = 8;

type Options = Pick<FilelogConfig, 'fingerprint_size' | 'on_truncate'> & { holdMs: number };

export interface TruncationHooks {
  truncated(f: TrackedFile, why: string): void;
  debug(detail: Record<string, unknown>, msg: string): void;
  /** The file turned out to be a gzip being written: it must not be read. */
  letGo(f: TrackedFile, why: string): void;
}

export class SizeChanges {
  readonly #options: Options;
  readonly #hooks: TruncationHooks;

  constructor(options: Options, hooks: TruncationHooks) {
    this.#options = options;
    this.#hooks = hooks;
  }

  /**
   * Applies a size seen by a poll (or by the recheck after a turn). A file in a read turn is left
   * to the recheck after that turn: a truncation decided now would race with the offset the turn
   * is about to set.
   */
  update(f: TrackedFile, size: number, now: number): void {
    if (f.busy) {
      f.reading.pollSkipped();
      return;
    }
    f.reading.rechecked();
    if (size === f.size && size >= f.offset) return;
    if (size >= f.offset && !f.reachedOffset) {
      f.reachedOffset = true;
      // Kept an old offset (on_truncate: ignore, a copy): if it now falls inside a line, skip that line.
      const before =
        f.offset > 0 && f.fd !== undefined ? tryRead(() => readAtSync(f.fd!, 1, f.offset - 1)) : undefined;
      if (before) f.reading.skipToLineEnd(before[0] !== 10);
    }
    if (size < f.offset && f.reachedOffset) {
      this.truncate(f, size, now, 'size below offset');
      return;
    }
    const fingerprintSize = this.#options.fingerprint_size;
    if (size > f.size && f.fd !== undefined && f.fp.length < fingerprintSize) {
      // The first bytes are read again only while the fingerprint is short (a new file, maybe a gzip
      // being written), so an idle file costs one stat. Once it is whole, a truncate-and-regrow is
      // caught by the read itself, which checks the bytes before its offset in the same preadv
      // (read/file-reader.ts).
      const head = tryRead(() => readAtSync(f.fd!, fingerprintSize, 0)) ?? f.fp;
      if (f.offset === 0 && f.fp.length < 2 && isGzip(head)) {
        // Admitted while empty (it stayed empty for a poll), and what came is a gzip being written.
        this.#hooks.letGo(f, 'a gzip being written: not read');
        return;
      }
      if (f.fp.length > 0 && !fingerprintsMatch(f.fp, head)) {
        // Truncated and written again since the stat: the size it has now, with these first bytes.
        this.truncate(f, sizeOf(f.fd) ?? size, now, 'first bytes changed', head);
        return;
      }
      if (head.length > f.fp.length) f.fp = head;
    }
    f.size = size;
  }

  /** Ends the file's current generation: reads on per on_truncate, from `head` (or its first bytes now). */
  truncate(f: TrackedFile, size: number, now: number, why: string, head?: Buffer): void {
    const o = this.#options;
    this.#hooks.debug(
      {
        path: f.path,
        key: f.key,
        offset: f.offset,
        committed: f.acked.committed,
        size,
        why,
        first: firstLine(f.fp),
      },
      'truncation',
    );
    f.truncations = [
      { fp: f.fp, offset: f.offset, tail: f.readTail, at: now },
      ...f.truncations.filter((g) => now - g.at <= o.holdMs).slice(0, MAX_TRUNCATIONS - 1),
    ];
    const mode = o.on_truncate;
    if (mode === 'read_whole' || mode === 'read_new') {
      f.offset = mode === 'read_whole' ? 0 : size;
      f.acked.reset(f.offset);
      f.reachedOffset = true;
    } else {
      f.reachedOffset = false;
    }
    f.reading.restart();
    f.fp =
      head ??
      (f.fd === undefined
        ? Buffer.alloc(0)
        : (tryRead(() => readAtSync(f.fd!, o.fingerprint_size, 0)) ?? Buffer.alloc(0)));
    f.size = size;
    this.#hooks.truncated(f, why);
  }
}

/** The first bytes of a file, up to its first line end, for the debug trail. */
export function firstLine(head: Uint8Array): string {
  const end = head.indexOf(10);
  return Buffer.from(head.subarray(0, end < 0 ? Math.min(head.length, 80) : Math.min(end, 80))).toString(
    'latin1',
  );
}
