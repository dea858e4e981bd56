// The retention policy for files meshtail manages itself: a tailed file that reached rotate_size
// is renamed to `<path>.<UTC time>` and the writer asked to reopen `<path>` (a rename loses
// nothing when the writer reopens; copytruncate would lose what is written between copy and
// truncate). The rotated file stays in the receiver's listing, so the tracker reads it to its end
// under its new name, also after a restart. It is deleted once the writer reopened, it stopped
// growing, and every byte of it is committed; until then it is kept, whatever happens downstream.
import { renameSync, type Stats, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { ComponentSettings } from '../../../agent/kit/component.ts';
import { identity } from '../checkpoint/checkpoint.ts';
import type { FilelogConfig } from '../config.ts';
import type { TrackedFile } from '../tracked-file.ts';
import { RetentionMetrics } from './metrics.ts';
import { reopenTarget, requestReopen } from './reopen.ts';
import type { RetentionConfig } from './retention-config.ts';
import { type RotatedFile, RotatedFileStore } from './rotated-files.ts';

/** A name this policy gave: never rotated again, even when the include pattern matches it. */
const ROTATED_NAME = /\.\d{8}T\d{6}\.\d{3}Z(-\d+)?$/;

interface Kept extends RotatedFile {
  /** When the poll first saw a new file at `base`: the writer reopened. */
  reopenedAt: number | undefined;
  size: number;
  changedAt: number;
}

export interface RetentionContext {
  store: RotatedFileStore;
  logger: Logger;
  metrics: RetentionMetrics;
  /** Counts into meshtail_receiver_errors_total. */
  error: () => void;
  pollInterval: number;
}

/** The policy of a receiver with a `retention` block, its state in `stateDir`; undefined without one. */
export function retentionOf(
  config: FilelogConfig,
  settings: ComponentSettings,
  stateDir: string,
  error: () => void,
): Retention | undefined {
  if (!config.retention) return undefined;
  return new Retention(config.retention, {
    store: new RotatedFileStore(join(stateDir, 'retention.json')),
    logger: settings.logger,
    metrics: new RetentionMetrics(settings.metrics, settings.id),
    error,
    pollInterval: config.poll_interval,
  });
}

export class Retention {
  readonly #config: RetentionConfig;
  readonly #context: RetentionContext;
  /** A writer that reopened may still finish a write to the old file: it must hold still this long. */
  readonly #quietMs: number;
  #kept: Kept[] = [];
  #requestedAt: number | undefined;
  readonly #deferred = new Set<string>();
  readonly #abort = new AbortController();

  constructor(config: RetentionConfig, context: RetentionContext) {
    this.#config = config;
    this.#context = context;
    this.#quietMs = Math.max(1000, 2 * context.pollInterval);
  }

  /**
   * Loads the rotated files of the previous run that are still where they were. `proven` is false
   * when nothing says what was delivered (no checkpoint, start_at: end): they are then left alone.
   */
  start(proven: boolean, now: number): void {
    let saved: RotatedFile[];
    try {
      saved = this.#context.store.load();
    } catch (err) {
      this.#context.error();
      this.#context.logger.error(
        { file: this.#context.store.file, err: String(err) },
        'retention state unreadable',
      );
      saved = [];
    }
    const present = saved.filter((r) => sameFile(statIf(r.path), r));
    if (!proven && present.length > 0) {
      this.#context.logger.warn(
        { files: present.map((r) => r.path) },
        'rotated files left in place: no checkpoint says they were delivered',
      );
    }
    this.#kept = (proven ? present : []).map((r) => ({
      ...r,
      reopenedAt: undefined,
      size: -1,
      changedAt: now,
    }));
    if (this.#kept.length !== saved.length) this.#save();
    this.#report();
  }

  stop(): void {
    this.#abort.abort();
  }

  /** A poll's listing with the rotated files still kept added (the same set when there are none). */
  withKept(listed: ReadonlySet<string>): ReadonlySet<string> {
    if (this.#kept.length === 0) return listed;
    const paths = new Set(listed);
    for (const k of this.#kept) paths.add(k.path);
    return paths;
  }

  /** After each poll: deletes rotated files that are delivered, rotates files past rotate_size. */
  poll(live: ReadonlyMap<string, TrackedFile>, now: number): void {
    if (this.#settleKept(live, now)) this.#save();
    let rotated = false;
    for (const f of live.values()) {
      if (f.goneSince !== undefined || f.size < this.#config.rotate_size || ROTATED_NAME.test(f.path))
        continue;
      if (this.#kept.some((k) => k.dev === f.dev && k.ino === f.ino)) continue;
      if (!sameFile(statIf(f.path), f)) continue; // the path names another file now
      if (this.#rotate(f, now)) rotated = true;
    }
    this.#askReopen(rotated, now);
    this.#report();
  }

  /** Updates what is known of each kept file; deletes the delivered ones. True when one went. */
  #settleKept(live: ReadonlyMap<string, TrackedFile>, now: number): boolean {
    const before = this.#kept.length;
    this.#kept = this.#kept.filter((k) => {
      const st = statIf(k.path);
      if (!sameFile(st, k)) {
        this.#context.logger.info({ path: k.path }, 'rotated file removed by something else; no longer kept');
        return false;
      }
      if (k.reopenedAt === undefined) {
        const b = statIf(k.base);
        if (b && !sameFile(b, k)) k.reopenedAt = now;
      }
      if (st!.size !== k.size) {
        k.size = st!.size;
        k.changedAt = now;
      }
      const f = live.get(identity(k.dev, k.ino));
      if (f && f.fd === undefined) f.renamed(k.path); // closed for max_concurrent_files: reopened by this name
      if (!f || k.reopenedAt === undefined || now - Math.max(k.reopenedAt, k.changedAt) < this.#quietMs)
        return true;
      f.reading.writerLeft(); // the writer is done with it: an unterminated last line is read as is
      const delivered =
        !f.busy && f.offset >= k.size && f.acked.committed >= k.size && f.acked.inFlight === 0;
      return !(delivered && this.#delete(k));
    });
    return this.#kept.length !== before;
  }

  #delete(k: Kept): boolean {
    try {
      unlinkSync(k.path);
    } catch (err) {
      this.#context.error();
      this.#context.logger.warn(
        { path: k.path, code: (err as NodeJS.ErrnoException).code },
        'cannot delete rotated file',
      );
      return false;
    }
    this.#context.metrics.deleted();
    this.#context.logger.info({ path: k.path, bytes: k.size }, 'rotated file delivered and deleted');
    return true;
  }

  /** Renames `f` away, unless the writer has not reopened since the last rotation or too many wait. */
  #rotate(f: TrackedFile, now: number): boolean {
    const base = f.path;
    const mine = this.#kept.filter((k) => k.base === base);
    if (mine.some((k) => k.reopenedAt === undefined)) return false; // the writer has not reopened yet
    if (mine.length >= this.#config.max_rotated) {
      if (!this.#deferred.has(base)) {
        this.#deferred.add(base);
        this.#context.metrics.deferred();
        this.#context.logger.warn(
          { path: base, size: f.size, kept: mine.length, max_rotated: this.#config.max_rotated },
          'rotation deferred: the rotated files of this path are not delivered yet',
        );
      }
      return false;
    }
    this.#deferred.delete(base);
    const k: Kept = {
      base,
      path: freeName(base, now),
      dev: f.dev,
      ino: f.ino,
      rotated_at: now,
      reopenedAt: undefined,
      size: f.size,
      changedAt: now,
    };
    this.#kept.push(k);
    this.#save(); // before the rename: a crash in between leaves an entry dropped at the next start
    try {
      renameSync(base, k.path);
    } catch (err) {
      this.#kept.pop();
      this.#save();
      this.#context.error();
      this.#context.logger.warn(
        { path: base, code: (err as NodeJS.ErrnoException).code },
        'cannot rotate file',
      );
      return false;
    }
    this.#context.metrics.rotated();
    this.#context.logger.info({ path: base, rotated: k.path, size: f.size }, 'file rotated');
    return true;
  }

  /** One request per rotation round; again every reopen.timeout while a rotated file waits for it. */
  #askReopen(rotated: boolean, now: number): void {
    const waiting = this.#kept.filter((k) => k.reopenedAt === undefined);
    if (waiting.length === 0) {
      this.#requestedAt = undefined;
      return;
    }
    const last = this.#requestedAt;
    if (!rotated && last !== undefined && now - last < this.#config.reopen.timeout) return;
    if (!rotated && last !== undefined) {
      this.#context.metrics.reopenFailed('not_reopened');
      this.#context.logger.warn(
        {
          paths: waiting.map((k) => k.base),
          ...reopenTarget(this.#config.reopen),
          timeout: this.#config.reopen.timeout,
        },
        'writer did not reopen its log file; asking again',
      );
    }
    this.#requestedAt = now;
    void requestReopen(this.#config.reopen, this.#abort.signal).then((r) => {
      if (r.ok || this.#abort.signal.aborted) return;
      this.#context.metrics.reopenFailed('request_failed');
      this.#context.logger.warn(
        { ...reopenTarget(this.#config.reopen), reason: r.reason },
        'reopen request failed',
      );
    });
  }

  #save(): void {
    try {
      this.#context.store.save(this.#kept);
    } catch (err) {
      this.#context.error();
      this.#context.logger.error(
        { file: this.#context.store.file, err: String(err) },
        'retention state write failed',
      );
    }
  }

  #report(): void {
    let bytes = 0;
    for (const k of this.#kept) bytes += Math.max(0, k.size);
    this.#context.metrics.kept(this.#kept.length, bytes);
  }
}

function statIf(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function sameFile(st: Stats | undefined, f: { dev: number; ino: number }): boolean {
  return st !== undefined && st.dev === f.dev && st.ino === f.ino;
}

/** `<base>.<UTC time>` (sorts as text, like the file exporter's rotations), made unique. */
function freeName(base: string, now: number): string {
  const name = `${base}.${new Date(now).toISOString().replace(/[-:]/g, '')}`;
  let candidate = name;
  for (let i = 1; statIf(candidate); i++) candidate = `${name}-${i}`;
  return candidate;
}
