// Checks the kill -9 duplicate window of docs/filelog.md from the agent's own checkpoints: a restart
// resumes each file at the offset of the last checkpoint write, so a line replayed after kill k must
// lie at or beyond the offset checkpoint k saved for its file ("nothing acknowledged before the
// last checkpoint write is replayed"). Lines here have a fixed length per file (raw or CRI), so a
// line's offset follows from its sequence number and the file's first one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseDiskLine } from './seq-lines.ts';

export interface CheckpointSnapshot {
  /** `dev:ino` → committed offset. */
  offsets: Map<string, number>;
  /** Age of the checkpoint file at the kill, ms (how much acknowledged data the kill can replay). */
  ageMs: number;
}

/** Reads `file` (checkpoints.json) right after a kill. */
export function snapshotCheckpoint(file: string, killedAt: number): CheckpointSnapshot {
  try {
    const list = (
      JSON.parse(readFileSync(file, 'utf8')) as { files: { dev: number; ino: number; offset: number }[] }
    ).files;
    return {
      offsets: new Map(list.map((c) => [`${c.dev}:${c.ino}`, c.offset])),
      ageMs: killedAt - statSync(file).mtimeMs,
    };
  } catch {
    return { offsets: new Map(), ageMs: Number.NaN }; // no checkpoint yet: everything may be replayed
  }
}

interface DiskFile {
  key: string;
  firstSeq: number;
  lineBytes: number;
}

/** Every file of one log (live and rotated), sorted by first sequence number. */
export function diskFiles(livePath: string, id: string): DiskFile[] {
  const dir = dirname(livePath);
  const out: DiskFile[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.startsWith('0.log')) continue;
    const path = join(dir, name);
    const text = readFileSync(path, 'utf8');
    const nl = text.indexOf('\n');
    const first = nl > 0 ? parseDiskLine(text.slice(0, nl)) : undefined;
    if (!first || first.id !== id) continue;
    const st = statSync(path);
    out.push({ key: `${st.dev}:${st.ino}`, firstSeq: first.seq, lineBytes: nl + 1 });
  }
  return out.sort((a, b) => a.firstSeq - b.firstSeq);
}

/** The first sequence number not yet committed in `snapshot` for the file holding `seq`. */
export function committedFrontier(files: DiskFile[], seq: number, snapshot: CheckpointSnapshot): number {
  let f: DiskFile | undefined;
  for (const d of files) if (d.firstSeq <= seq) f = d;
  if (!f) return 0;
  return f.firstSeq + Math.floor((snapshot.offsets.get(f.key) ?? 0) / f.lineBytes);
}
