// What goes into a checkpoint and when: the committed offset of every tracked file, its
// fingerprint and the digest of the bytes before the offset, written only when something moved.
// The periodic write runs in the background (no fsync on the main thread), never two at once; the
// last one at shutdown is synchronous, after the background one settled.
import { hash } from 'node:crypto';
import { digest } from '../identity/fingerprint.ts';
import type { Tracker } from '../identity/tracker.ts';
import type { TrackedFile } from '../tracked-file.ts';
import type { CheckpointStore } from './checkpoint.ts';
import { JsonBytes, utf8 } from './json-bytes.ts';
import { pruneCheckpoints } from './prune.ts';

export class CheckpointWriter {
  readonly #store: CheckpointStore;
  readonly #retention: number;
  readonly #failed: (err: unknown) => void;
  /** What the last successful write held, so an idle node writes (and fsyncs) nothing. */
  #written = '';
  #writing: Promise<void> | undefined;
  readonly #out = new JsonBytes(64 * 1024);

  constructor(store: CheckpointStore, retention: number, failed: (err: unknown) => void) {
    this.#store = store;
    this.#retention = retention;
    this.#failed = failed;
  }

  /** Settles when no background write runs. */
  async idle(): Promise<void> {
    await this.#writing;
  }

  write(t: Tracker, now: number, final: boolean): void {
    if (this.#writing && !final) return; // the next tick writes what this one would
    pruneCheckpoints(t, now, this.#retention);
    // Idle files: nothing committed, nothing let go or pruned since the last write, no write.
    let versions = 0;
    for (const f of t.live.values()) versions += f.acked.version;
    for (const f of t.released.values()) versions += f.acked.version;
    const signature = `${versions}:${t.live.size}:${t.released.size}:${t.saved.size}:${Math.floor(now / this.#retention)}`;
    if (signature === this.#written) return;
    // Each entry's JSON is built from cached pieces: its path, identity and fingerprint digest once
    // per file, its tail's digest once per tail, only the offset and seen_at per write, rather than
    // objects for JSON.stringify (bench/RESULTS.md); the pieces are bytes, copied once into the
    // file's (json-bytes.ts).
    const out = this.#out;
    out.reset();
    out.bytes(OPEN);
    let first = true;
    const add = (f: TrackedFile, live: boolean) => {
      let d = cached(f.checkpointEntry);
      if (!d || d.fp !== f.fp || d.path !== f.path) {
        d = { fp: f.fp, path: f.path, head: headOf(f), tail: d?.tail, tailSha1: d?.tailSha1 ?? '' };
        cache(f.checkpointEntry, d);
      }
      const tail = f.acked.committedTail;
      const committedTail = tail && tail.length > 0 ? tail : undefined;
      if (committedTail !== d.tail) {
        d.tail = committedTail;
        // Hex, not 'buffer': a Buffer from crypto.hash is a memory block of its own.
        d.tailSha1 = committedTail ? hash('sha1', committedTail, 'hex') : '';
      }
      if (!first) out.byte(COMMA);
      first = false;
      out.bytes(d.head);
      out.number(f.acked.committed);
      if (d.tail) {
        out.bytes(TAIL_SIZE);
        out.number(d.tail.length);
        out.bytes(SHA1);
        out.ascii(d.tailSha1);
        out.bytes(DIGEST_END);
      }
      out.bytes(SEEN_AT);
      out.number(f.goneSince === undefined && live ? now : f.seenAt);
      out.byte(CLOSE_BRACE);
    };
    for (const f of t.live.values()) add(f, true);
    for (const f of t.released.values()) add(f, t.live.has(f.key));
    for (const c of t.saved.values()) {
      if (!first) out.byte(COMMA);
      first = false;
      out.text(JSON.stringify(c));
    }
    out.bytes(CLOSE);
    const bytes = out.take();
    if (final) {
      try {
        this.#store.save(bytes);
        this.#written = signature;
      } catch (err) {
        this.#failed(err);
      }
      return;
    }
    this.#writing = this.#store.saveAsync(bytes).then(
      () => {
        this.#written = signature;
        this.#writing = undefined;
      },
      (err) => {
        this.#failed(err);
        this.#writing = undefined;
      },
    );
  }
}

/**
 * A file's cached pieces of its checkpoint entry: valid while its fingerprint buffer, path and
 * committed tail buffer are the same ones. Kept on the file (TrackedFile.checkpointEntry) rather
 * than in a map by file or a WeakMap by buffer (bench/RESULTS.md).
 */
interface CheckpointJson {
  fp: Uint8Array;
  path: string;
  /** `{"path":…,"dev":…,"ino":…,"fingerprint":{…},"offset":` as UTF-8. */
  head: Uint8Array;
  tail: Uint8Array | undefined;
  /** The hex sha1 of `tail` (its digest's, as fingerprint.ts digest() gives it); '' without a tail. */
  tailSha1: string;
}

// Set in EntryCache's static block: only this module reads or replaces a file's cached entry.
let cached: (c: EntryCache) => CheckpointJson | undefined;
let cache: (c: EntryCache, d: CheckpointJson) => void;

/** Where a file keeps its cached checkpoint entry; opaque outside this module. */
export class EntryCache {
  #json: CheckpointJson | undefined;

  static {
    cached = (c) => c.#json;
    cache = (c, d) => {
      c.#json = d;
    };
  }
}

const OPEN = utf8('{"version":2,"files":[');
const CLOSE = utf8(']}');
const SEEN_AT = utf8(',"seen_at":');
const TAIL_SIZE = utf8(',"tail":{"size":');
const SHA1 = utf8(',"sha1":"');
const DIGEST_END = utf8('"}');
const COMMA = 44;
const CLOSE_BRACE = 125;

function headOf(f: TrackedFile): Uint8Array {
  const d = digest(f.fp);
  return utf8(
    `{"path":${JSON.stringify(f.path)},"dev":${f.dev},"ino":${f.ino},"fingerprint":{"size":${d.size},"sha1":"${d.sha1}"},"offset":`,
  );
}
