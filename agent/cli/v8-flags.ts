// V8 settings for a long-running agent, applied before the pipelines start.
//
// Allocation-site pretenuring off. V8 allocates objects of an allocation site straight in the old
// generation once many of them survived young collections. An agent's start (a backfill, batches
// in flight for a second) teaches it that about sites whose objects die young in steady state, and
// it never unlearns it: with 1000 files appended once a second the main thread then did no young
// collections at all, only a full mark-compact every 8-9 s of ~20 MB of garbage (10-13 ms pause +
// 23-36 ms of marking steps, and the helper threads' concurrent marking), and a worker promoted
// 0.35-0.65 MB of each second's batch (`--trace-gc`). Without pretenuring the main thread marked
// every ~40 s and a worker's heap stayed flat.
//
// The main isolate reads the flag when it is made, so set later (v8.setFlagsFromString) it only
// reached the workers: `meshtail run` starts over once with the flag on the node command line, in
// the same process (process.execve: same PID, same stdio, no wrapper). Where execve is missing or
// fails, the flag is set at run time, for the worker threads.
import { setFlagsFromString } from 'node:v8';

const PRETENURING = 'allocation-site-pretenuring';

/**
 * The node arguments to start over with, or undefined to go on as is: the operator set the flag
 * either way (on the command line or in NODE_OPTIONS), or this process was started with it.
 */
export function v8Args(execArgv: readonly string[], nodeOptions: string): string[] | undefined {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)].some(
    (a) => a === `--${PRETENURING}` || a === `--no-${PRETENURING}`,
  );
  return given ? undefined : [`--no-${PRETENURING}`, ...execArgv];
}

/** Applies the agent's V8 settings: may start this process over (it then does not return). */
export function tuneV8(): void {
  const args = v8Args(process.execArgv, process.env.NODE_OPTIONS ?? '');
  if (!args) return;
  const execve = (process as { execve?: (file: string, args: string[], env: NodeJS.ProcessEnv) => never })
    .execve;
  if (typeof execve === 'function') {
    try {
      execve.call(
        process,
        process.execPath,
        [process.execPath, ...args, ...process.argv.slice(1)],
        process.env,
      );
    } catch {
      // e.g. the node binary replaced by an upgrade under the running agent: go on in this process
    }
  }
  setFlagsFromString(`--no-${PRETENURING}`);
}
