// NAB's data and labels, read from a git mirror of numenta/NAB (MIT licence since 2024; kept out
// of this repository): NAB_REPO names its git directory (default: the mirror the fetch tool made).
import { execFileSync } from 'node:child_process';

export const NAB_REPO = process.env.NAB_REPO ?? '/work/.mirror/numenta+NAB/repo';

export function nabFile(path: string): string {
  return execFileSync('git', ['-C', NAB_REPO, 'show', `HEAD:${path}`], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
}

export function nabList(dir: string): string[] {
  return execFileSync('git', ['-C', NAB_REPO, 'ls-tree', '-r', '--name-only', 'HEAD', dir], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter((p) => p.endsWith('.csv'));
}

/** "2015-08-31 18:22:00" (UTC in NAB) → ms. */
export function nabTime(s: string): number {
  return Date.parse(`${s.slice(0, 19).replace(' ', 'T')}Z`);
}

export interface Series {
  times: number[];
  values: number[];
  columns: string[];
  rows: string[][];
}

export function readCsv(text: string): Series {
  const lines = text.trim().split('\n');
  const columns = (lines[0] as string).split(',');
  const rows = lines.slice(1).map((l) => l.split(','));
  return {
    columns,
    rows,
    times: rows.map((r) => nabTime(r[0] as string)),
    values: rows.map((r) => Number(r[1])),
  };
}

/** Labelled windows of one data file as [first, last] row indices. */
export function windowsOf(
  labels: Record<string, [string, string][]>,
  file: string,
  times: number[],
): [number, number][] {
  return (labels[file] ?? []).map(([a, b]) => {
    const from = nabTime(a);
    const to = nabTime(b);
    let first = times.findIndex((t) => t >= from);
    let last = times.length - 1;
    for (let i = times.length - 1; i >= 0; i--)
      if ((times[i] as number) <= to) {
        last = i;
        break;
      }
    if (first < 0) first = times.length - 1;
    return [first, last];
  });
}
