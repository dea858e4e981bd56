// Evidence for a lost line: is it still in some file on disk (the live file, a rotated one, a
// gzipped one)? A line in no file was destroyed by the rotation itself (copytruncate's window
// between its copy and its truncate); a line on disk that never arrived is the agent's loss.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseDiskLine } from './seq-lines.ts';

export interface MissingEvidence {
  range: [number, number];
  /** Sequence numbers of the range found in some file on disk (the agent's loss). */
  onDisk: number;
  /** The files on disk that hold the range's neighbours (seq before, seq after). */
  before: string | undefined;
  after: string | undefined;
}

/** Looks for `ranges` of file `id` in every `0.log*` next to `livePath`. */
export function missingEvidence(livePath: string, id: string, ranges: [number, number][]): MissingEvidence[] {
  const out = ranges.map((range) => ({
    range,
    onDisk: 0,
    before: undefined as string | undefined,
    after: undefined as string | undefined,
  }));
  const dir = dirname(livePath);
  for (const name of readdirSync(dir)) {
    if (!name.startsWith('0.log') || name.endsWith('.tmp')) continue;
    let bytes = readFileSync(join(dir, name));
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
    for (const line of bytes.toString('utf8').split('\n')) {
      const p = parseDiskLine(line);
      if (!p || p.id !== id) continue;
      for (const e of out) {
        if (p.seq >= e.range[0] && p.seq <= e.range[1]) e.onDisk++;
        if (p.seq === e.range[0] - 1) e.before = name;
        if (p.seq === e.range[1] + 1) e.after = name;
      }
    }
  }
  return out;
}
