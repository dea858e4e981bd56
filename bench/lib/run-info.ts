// Small helpers the benchmark scripts share: the commit a run measured, rounding for the printed
// rows, and waiting.
import { execFileSync } from 'node:child_process';

/** `git <args>` output, or 'unknown' outside a repository. */
export function git(...args: string[]): string {
  try {
    return execFileSync('git', args, { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

export function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
