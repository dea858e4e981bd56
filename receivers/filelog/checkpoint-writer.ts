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
  readonly #digests = new WeakMap<Uint8Array, Digest>();
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
    for (const f of [...t.live.values(), ...t.released.values()]) {
      const tail = f.acked.committedTail;
      entries.push({
        path: f.path,
        dev: f.dev,
        ino: f.ino,
        offset: f.acked.committed,
        fingerprint: this.#digest(f.fp),
        ...(tail && tail.length > 0 && { tail: this.#digest(tail) }),
        seen_at: f.goneSince === undefined && t.live.has(f.key) ? now : f.seenAt,
      });
    }
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

  #digest(bytes: Uint8Array): Digest {
    let d = this.#digests.get(bytes);
    if (!d) {
      d = digest(bytes);
      this.#digests.set(bytes, d);
    }
    return d;
  }
}
