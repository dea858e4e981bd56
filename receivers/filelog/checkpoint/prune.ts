// Checkpoint retention: a file let go, or an entry loaded from the checkpoint and never seen again,
// is forgotten checkpoint_retention after it was last seen, so the checkpoint does not grow forever.
import type { TrackedFile } from '../tracked-file.ts';
import type { FileCheckpoint } from './checkpoint.ts';

export interface Forgettable {
  readonly released: Map<string, TrackedFile>;
  readonly saved: Map<string, FileCheckpoint>;
}

/** Forgets files let go longer than `retention` ago (and entries loaded but never seen). */
export function pruneCheckpoints(t: Forgettable, now: number, retention: number): void {
  for (const r of t.released.values())
    if (now - r.seenAt > retention && r.acked.inFlight === 0) t.released.delete(r.key);
  for (const [k, e] of t.saved) if (now - (e.seen_at ?? now) > retention) t.saved.delete(k);
}
