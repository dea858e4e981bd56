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
    // The text goes as flat pieces joined once: one template string per entry made a tree of
    // concatenations that the final join had to walk (~2 % of the main thread's samples).
    const pieces: string[] = [];
    const seenNow = flat(`,"seen_at":${now}}`);
    const add = (f: TrackedFile, live: boolean) => {
      let d = f.checkpointJson;
      if (!d || d.fp !== f.fp || d.path !== f.path) {
        d = { fp: f.fp, path: f.path, head: headOf(f), tail: d?.tail, tailJson: d?.tailJson ?? '' };
        f.checkpointJson = d;
      }
      const tail = f.acked.committedTail;
      const committedTail = tail && tail.length > 0 ? tail : undefined;
      if (committedTail !== d.tail) {
        d.tail = committedTail;
        d.tailJson = committedTail ? `,"tail":${digestJson(committedTail)}` : '';
      }
      if (pieces.length > 0) pieces.push(',');
      pieces.push(d.head, String(f.acked.committed), d.tailJson);
      pieces.push(f.goneSince === undefined && live ? seenNow : `,"seen_at":${f.seenAt}}`);
    };
    for (const f of t.live.values()) add(f, true);
    for (const f of t.released.values()) add(f, t.live.has(f.key));
    for (const c of t.saved.values()) {
      if (pieces.length > 0) pieces.push(',');
      pieces.push(JSON.stringify(c));
    }
    if (final) {
      try {
        this.#store.save(pieces);
        this.#written = signature;
      } catch (err) {
        this.#failed(err);
      }
      return;
    }
    this.#writing = this.#store.saveAsync(pieces).then(
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
 * A file's cached pieces of its checkpoint entry, kept on the file (TrackedFile.checkpointJson):
 * valid while its fingerprint buffer, path and committed tail buffer are the same ones. On the file
 * rather than in a map by file rebuilt each write (1000 gets and sets a second), or a WeakMap by
 * buffer (ephemeron work in every scavenge).
 */
export interface CheckpointJson {
  fp: Uint8Array;
  path: string;
  /** `{"path":…,"dev":…,"ino":…,"fingerprint":{…},"offset":` */
  head: string;
  tail: Uint8Array | undefined;
  /** `,"tail":{…}`, or '' without a tail. */
  tailJson: string;
}

function headOf(f: TrackedFile): string {
  return flat(
    `{"path":${JSON.stringify(f.path)},"dev":${f.dev},"ino":${f.ino},"fingerprint":${digestJson(f.fp)},"offset":`,
  );
}

/** A digest as JSON: its hex sha1 needs no escaping, so no JSON.stringify of an object per file. */
function digestJson(bytes: Uint8Array): string {
  const d = digest(bytes);
  return `{"size":${d.size},"sha1":"${d.sha1}"}`;
}

/**
 * The string made flat now: a template literal is a tree of concatenations until something reads
 * it, and a piece joined into every checkpoint would be walked again on every join (perf: the
 * join's copying was ~2 % of the main thread's samples). V8 flattens it in place on first read.
 */
function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}
