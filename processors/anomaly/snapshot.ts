// The engine's state on disk: JSON under service.data_dir, written to a temp file and renamed so
// a crash never leaves half a snapshot. Maps are saved as entry arrays; Infinity cannot occur.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AnyAlarm } from './alarm.ts';
import type { ProxySignaturesState } from './proxy-signatures.ts';
import type { RouteHistoryState } from './route-history.ts';
import type { Series } from './series.ts';

export interface EngineState {
  version: 1;
  next: number | undefined;
  firstSeen: number | undefined;
  edges: [string, number][];
  series: [string, [string, Series][]][];
  alarms: [string, AnyAlarm][];
  /** Route templates per destination and per source (absent in snapshots before they existed). */
  routes?: RouteHistoryState;
  proxy?: ProxySignaturesState;
}

export async function loadState(path: string): Promise<EngineState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const state = JSON.parse(text) as EngineState;
  return state.version === 1 ? state : undefined;
}

export async function saveState(path: string, state: EngineState): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp`;
  await writeFile(tmp, JSON.stringify(state), { mode: 0o600 });
  await rename(tmp, path);
}
