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
// Headroom for the old generation. V8 sets the size at which the next full collection starts by
// how fast its collector is against the program's allocation; an agent that sleeps between polls
// allocates slowly, so that size sat a few MB above the live heap, below what V8 keeps free for a
// young collection's promotions once the young generation had grown to 32-64 MB on a large host.
// The main thread then marked its whole ~35 MB heap at nearly every young collection, every ~10 s
// (`--trace-gc`), for a few hundred KB promoted: 130-140 ms of concurrent marking each on V8's
// helper threads, 1.1-1.2 % of a core with 1000 files appended once a second. With
// --heap-growing-percent=100 (the next full collection at twice what the last one kept) and
// --max-semi-space-size=16 (a young generation of at most 2 x 16 MB) it marked every ~70 s, the
// helper threads took 0.44 %, for a peak RSS of 302 MiB against 281-283 (bench/RESULTS.md). Either
// alone was not enough: with the factor alone, marking at every young collection came back after a
// minute (37 MB of headroom under a 64 MB young generation); with the smaller young generation
// alone, every ~15 s. The workers set their own young generation (agent/pool/worker-pool.ts); the
// factor applies to them too.
//
// The main isolate reads these flags when it is made, so set later (v8.setFlagsFromString) they
// only reached the workers: `meshtail run` starts over once with them on the node command line, in
// the same process (process.execve: same PID, same stdio, no wrapper). Where execve is missing or
// fails, they are set at run time, for the worker threads. A flag the operator set either way (on
// the command line or in NODE_OPTIONS) is left as given.
import { setFlagsFromString } from 'node:v8';

/** Each setting: the V8 flag's name (as given, '-' or '_' alike) and the argument meshtail adds. */
const DEFAULTS: readonly { name: string; arg: string }[] = [
  { name: 'allocation-site-pretenuring', arg: '--no-allocation-site-pretenuring' },
  { name: 'heap-growing-percent', arg: '--heap-growing-percent=100' },
  { name: 'max-semi-space-size', arg: '--max-semi-space-size=16' },
];

/**
 * The node arguments to start over with, or undefined to go on as is: every setting is either the
 * operator's (on the command line or in NODE_OPTIONS, either way) or already there (this process
 * was started over with it).
 */
export function v8Args(execArgv: readonly string[], nodeOptions: string): string[] | undefined {
  const given = new Set<string>();
  for (const a of [...execArgv, ...nodeOptions.split(/\s+/)]) {
    const m = /^--(?:no[-_]?)?([a-z0-9_-]+?)(?:=.*)?$/.exec(a);
    if (m) given.add(m[1]!.replaceAll('_', '-'));
  }
  const missing = DEFAULTS.filter((d) => !given.has(d.name)).map((d) => d.arg);
  return missing.length === 0 ? undefined : [...missing, ...execArgv];
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
  for (const a of args.slice(0, args.length - process.execArgv.length)) setFlagsFromString(a);
}
