// Counts what the Collector received per file and sequence number, against what the writer wrote:
// lost (written, never received) and duplicated (received more than once) are separate numbers.
import type { ReceivedLog } from './collector-output.ts';
import { parseSeq } from './seq-lines.ts';

export interface FileTally {
  id: string;
  written: number;
  unique: number;
  lost: number;
  duplicated: number;
  /** Every missing sequence range, `[from, to]` inclusive. */
  missingRanges: [number, number][];
}

export interface SeqReport {
  written: number;
  received: number;
  unique: number;
  lost: number;
  duplicated: number;
  /** Bodies without a known file id, or with a sequence number never written. */
  unknown: number;
  files: FileTally[];
}

export class SeqTally {
  readonly #index = new Map<string, number>();
  #counts: Uint8Array[];
  /** Per file and seq: which file on disk (interned path) delivered it first. */
  #firstFrom: Uint16Array[];
  readonly #paths = new Map<string, number>();
  /** `first path + later path` → duplicates, to show where duplicates were read from. */
  readonly duplicatesBySource = new Map<string, number>();
  #received = 0;
  #unknown = 0;
  #duplicated = 0;
  readonly examples: string[] = [];
  /** Called for every record that repeats a sequence number already received. */
  onDuplicate: ((id: string, seq: number) => void) | undefined;

  constructor(ids: string[], expectedPerFile: number) {
    for (const [i, id] of ids.entries()) this.#index.set(id, i);
    this.#counts = ids.map(() => new Uint8Array(Math.max(1024, expectedPerFile)));
    this.#firstFrom = ids.map(() => new Uint16Array(Math.max(1024, expectedPerFile)));
  }

  get received(): number {
    return this.#received;
  }

  get duplicated(): number {
    return this.#duplicated;
  }

  /** Pass as the visitor of Collector.poll / waitForRecords. */
  readonly visit = (r: ReceivedLog): void => {
    this.#received++;
    const p = parseSeq(r.body);
    const f = p && this.#index.get(p.id);
    if (p === undefined || f === undefined) {
      this.#unknown++;
      if (this.examples.length < 5) this.examples.push(r.body.slice(0, 120));
      return;
    }
    let counts = this.#counts[f]!;
    if (p.seq >= counts.length) {
      const size = Math.max(p.seq + 1, counts.length * 2);
      const grown = new Uint8Array(size);
      grown.set(counts);
      this.#counts[f] = counts = grown;
      const from = new Uint16Array(size);
      from.set(this.#firstFrom[f]!);
      this.#firstFrom[f] = from;
    }
    const path = this.#path(r.attributes['log.file.path']);
    if (counts[p.seq]! > 0) {
      this.#duplicated++;
      this.onDuplicate?.(p.id, p.seq);
      const key = `${this.#name(this.#firstFrom[f]![p.seq]!)} + ${this.#name(path)}`;
      this.duplicatesBySource.set(key, (this.duplicatesBySource.get(key) ?? 0) + 1);
    } else {
      this.#firstFrom[f]![p.seq] = path;
    }
    if (counts[p.seq]! < 255) counts[p.seq]!++;
  };

  /** The file a record was read from, as `<dir>/<name>` (rotated names differ per rotation). */
  #path(value: unknown): number {
    const name = String(value)
      .split('/')
      .slice(-2)
      .join('/')
      .replace(/\.\d{8}-\d{6}/, '.<stamp>');
    const known = this.#paths.get(name);
    if (known !== undefined) return known;
    const i = Math.min(this.#paths.size, 65535);
    this.#paths.set(name, i);
    return i;
  }

  #name(i: number): string {
    for (const [name, n] of this.#paths) if (n === i) return name;
    return '?';
  }

  /** Unique sequence numbers received below what was written, over all files. */
  unique(written: number[]): number {
    let n = 0;
    written.forEach((w, f) => {
      const counts = this.#counts[f]!;
      for (let s = 0; s < Math.min(w, counts.length); s++) if (counts[s]! > 0) n++;
    });
    return n;
  }

  report(ids: string[], written: number[]): SeqReport {
    let beyond = 0;
    const files = ids.map((id, f): FileTally => {
      const counts = this.#counts[f]!;
      const w = written[f]!;
      let unique = 0;
      let duplicated = 0;
      const missingRanges: [number, number][] = [];
      for (let s = 0; s < counts.length; s++) {
        const c = counts[s]!;
        if (s >= w) {
          if (c > 0) beyond += c;
          continue;
        }
        if (c > 0) {
          unique++;
          duplicated += c - 1;
        } else {
          const last = missingRanges.at(-1);
          if (last && last[1] === s - 1) last[1] = s;
          else missingRanges.push([s, s]);
        }
      }
      for (let s = counts.length; s < w; s++) {
        const last = missingRanges.at(-1);
        if (last && last[1] === s - 1) last[1] = s;
        else missingRanges.push([s, s]);
      }
      return { id, written: w, unique, lost: w - unique, duplicated, missingRanges };
    });
    const sum = (k: 'written' | 'unique' | 'lost' | 'duplicated') => files.reduce((a, f) => a + f[k], 0);
    return {
      written: sum('written'),
      received: this.#received,
      unique: sum('unique'),
      lost: sum('lost'),
      duplicated: sum('duplicated'),
      unknown: this.#unknown + beyond,
      files,
    };
  }
}
