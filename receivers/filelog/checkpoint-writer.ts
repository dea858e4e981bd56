// What goes into a checkpoint and when: the committed offset of every tracked file, its
// fingerprint and the digest of the bytes before the offset, written only when something moved.
// The periodic write runs in the background (no fsync on the main thread), never two at once; the
// last one at shutdown is synchronous, after the background one settled.
import type { CheckpointStore, FileCheckpoint } from './checkpoint.ts';
import { type Digest, digest } from './fingerprint.ts';
import type { Tracker } from './identity/tracker.ts';

export class CheckpointWriter {
  readonly #store: CheckpointStore;
  readonly #retention: number;
  readonly #failed: (err: unknown) => void;
  /**
   * The digests of the last write, by file: a file whose fingerprint or committed tail is the same
   * buffer as then is not hashed again. A Map rebuilt on every write, not a WeakMap keyed by the
   * buffers: 1000 new tails a second as ephemeron keys cost the main thread's scavenges about 2 % of
   * its samples (perf, 1000 files appended once a second).
   */
  #digests = new Map<string, Digests>();
  /** What the last successful write held, so an idle node writes (and fsyncs) nothing. */
  #written = '';
  #writing: Promise<void> | undefined;

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
    t.prune(now, this.#retention);
    // Idle files: nothing committed, nothing let go or pruned since the last write, no write.
    let versions = 0;
    for (const f of t.live.values()) versions += f.acked.version;
    for (const f of t.released.values()) versions += f.acked.version;
    const signature = `${versions}:${t.live.size}:${t.released.size}:${t.saved.size}:${Math.floor(now / this.#retention)}`;
    if (signature === this.#written) return;
    const entries: FileCheckpoint[] = [];
    const last = this.#digests;
    const next = new Map<string, Digests>();
    for (const f of [...t.live.values(), ...t.released.values()]) {
      const tail = f.acked.committedTail;
      const known = last.get(f.key);
      const d: Digests = {
        fp: f.fp,
        fingerprint: known?.fp === f.fp ? known.fingerprint : digest(f.fp),
        tail: tail && tail.length > 0 ? tail : undefined,
        tailDigest: undefined,
      };
      if (d.tail) d.tailDigest = known?.tail === d.tail ? known.tailDigest : digest(d.tail);
      next.set(f.key, d);
      entries.push({
        path: f.path,
        dev: f.dev,
        ino: f.ino,
        offset: f.acked.committed,
        fingerprint: d.fingerprint,
        ...(d.tailDigest && { tail: d.tailDigest }),
        seen_at: f.goneSince === undefined && t.live.has(f.key) ? now : f.seenAt,
      });
    }
    this.#digests = next;
    entries.push(...t.saved.values());
    if (final) {
      try {
        this.#store.save(entries);
        this.#written = signature;
      } catch (err) {
        this.#failed(err);
      }
      return;
    }
    this.#writing = this.#store.saveAsync(entries).then(
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

interface Digests {
  fp: Uint8Array;
  fingerprint: Digest;
  tail: Uint8Array | undefined;
  tailDigest: Digest | undefined;
}
