// What a reload does with each running component of one kind: keep it (same fingerprint: type,
// canonical options, TLS file contents), stop it (removed or changed) and start what is new or
// changed. The summary is logged and returned by Agent.reload.
import { fingerprint } from './config/fingerprint.ts';
import type { ComponentConfig } from './config/types.ts';

/** What a reload kept and rebuilt, by component id. */
export interface ReloadSummary {
  kept: string[];
  rebuilt: string[];
  added: string[];
  removed: string[];
}

export function emptySummary(): ReloadSummary {
  return { kept: [], rebuilt: [], added: [], removed: [] };
}

export function planReload(
  running: ReadonlyMap<string, { fingerprint: string }>,
  next: ReadonlyMap<string, ComponentConfig>,
  summary: ReloadSummary,
): { stop: string[]; start: string[] } {
  const prints = new Map([...next].map(([id, c]) => [id, fingerprint(c)]));
  const stop: string[] = [];
  for (const [id, r] of running) {
    const print = prints.get(id);
    if (print === r.fingerprint) summary.kept.push(id);
    else {
      stop.push(id);
      (print === undefined ? summary.removed : summary.rebuilt).push(id);
    }
  }
  const start = [...next.keys()].filter((id) => !running.has(id) || stop.includes(id));
  for (const id of start) if (!running.has(id)) summary.added.push(id);
  return { stop, start };
}
