// Child processes started by tests and benchmarks: their exit as a promise, a bounded stop
// (signal, then SIGKILL), and a last-resort kill when the test process exits, so a failed or
// interrupted run never leaves a Collector or an agent behind.
import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Tracks `child` and resolves when it has exited. */
export function track(child: ChildProcess): Promise<Exit> {
  live.add(child);
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
  });
}

/** Sends `signal`, waits up to `graceMs`, then SIGKILLs. Safe on an exited process. */
export async function stopChild(
  child: ChildProcess,
  exited: Promise<Exit>,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 10_000,
): Promise<Exit> {
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), graceMs);
  });
  const first = await Promise.race([exited, late]);
  clearTimeout(timer);
  if (first !== 'late') return first;
  child.kill('SIGKILL');
  return exited;
}
