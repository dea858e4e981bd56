// Reads a decrypt audit log as runs: each run's intent and outcome entries merged (the outcome's
// fields over the intent's), in the order the runs started. Tests of the two phases read the raw lines.
import { readFileSync } from 'node:fs';

export function auditLines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary entry fields.
export function auditRuns(file: string): any[] {
  const runs = new Map<unknown, Record<string, unknown>>();
  for (const e of auditLines(file)) runs.set(e.run, { ...runs.get(e.run), ...e });
  return [...runs.values()];
}
