// What goes into a checkpoint and when: the committed offset of every tracked file, its
// fingerprint and the digest of the bytes before the offset, written only when something moved.
// The periodic write runs in the background (no fsync on the main thread), never two at once; the
// last one at shutdown is synchronous, after the background one settled.
import type { CheckpointStore } from './checkpoint.ts';
import { digest } from './fingerprint.ts';
import type { Tracker } from './identity/tracker.ts';
import type { TrackedFile } from './tracked-file.ts';

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
    // Each entry's JSON is built from cached pieces: its path, identity and fingerprint digest once
    // per file, only the offset, the tail's digest and seen_at per write. Objects for
    // JSON.stringify, 1000 files appended once a second, cost ~0.9 % of a core all told
    // (bench/filelog-idle.bench.ts with --checkpoint 60s vs the default 1s).
    const entries: string[] = [];
    const last = this.#digests;
    const next = new Map<string, Digests>();
    const add = (f: TrackedFile, live: boolean) => {
      const tail = f.acked.committedTail;
      const known = last.get(f.key);
      const d: Digests =
        known && known.fp === f.fp && known.path === f.path
          ? known
          : { fp: f.fp, path: f.path, head: headOf(f), tail: undefined, tailJson: '' };
      if (d !== known && known) {
        d.tail = known.tail;
        d.tailJson = known.tailJson;
      }
      const committedTail = tail && tail.length > 0 ? tail : undefined;
      if (committedTail !== d.tail) {
        d.tail = committedTail;
        d.tailJson = committedTail ? `,"tail":${JSON.stringify(digest(committedTail))}` : '';
      }
      next.set(f.key, d);
      const seen = f.goneSince === undefined && live ? now : f.seenAt;
      entries.push(`${d.head}${f.acked.committed}${d.tailJson},"seen_at":${seen}}`);
    };
    for (const f of t.live.values()) add(f, true);
    for (const f of t.released.values()) add(f, t.live.has(f.key));
    this.#digests = next;
    for (const c of t.saved.values()) entries.push(JSON.stringify(c));
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

/** A file's cached pieces of JSON, valid while its fingerprint buffer, path and tail buffer are the same. */
interface Digests {
  fp: Uint8Array;
  path: string;
  /** `{"path":…,"dev":…,"ino":…,"fingerprint":{…},"offset":` */
  head: string;
  tail: Uint8Array | undefined;
  /** `,"tail":{…}`, or '' without a tail. */
  tailJson: string;
}

function headOf(f: TrackedFile): string {
  const fingerprint = JSON.stringify(digest(f.fp));
  return `{"path":${JSON.stringify(f.path)},"dev":${f.dev},"ino":${f.ino},"fingerprint":${fingerprint},"offset":`;
}
