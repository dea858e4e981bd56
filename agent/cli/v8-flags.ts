// V8 settings for a long-running agent, applied before the pipelines start. Allocation-site
// pretenuring off: what a start (a backfill) teaches V8 sent objects that die young straight to the
// old generation for good. Old-generation headroom (--heap-growing-percent=100, a young generation
// of at most 2 x 4 MB): an agent that allocates slowly otherwise had its whole heap marked at
// nearly every young collection. The semi-space flag sizes the main thread only: the pool gives the
// workers theirs (agent/pool/worker-pool.ts). The main thread's garbage is mostly small objects
// around buffers kept outside the heap: 8 and not 16 took the whole pipeline's peak RSS -20 MiB
// (Session 29), 4 and not 8 raw and parsed backfills -4 to -10 MiB and 1000 files -6 to -9 MiB,
// CPU within the noise of paired runs (400k lines, bench/RESULTS.md, Session 31). The main isolate
// reads flags only when it is made, so `meshtail run` starts over once with them on the node
// command line (process.execve: same PID, same stdio); where that is missing or fails they are set
// at run time, which reaches the worker threads only. A flag the operator set (command line or
// NODE_OPTIONS) is left as given. The same start-over sets glibc's malloc (read once, at exec) to a
// fixed mmap threshold and two arenas: by default the threshold rises to the largest buffer freed,
// so batch-sized buffers (256 KiB and up) stay in the threads' arenas and fragment them; fixed,
// they go back to the system when freed. Peak RSS of the whole pipeline 380 -> 341 MiB for the same
// CPU (bench/RESULTS.md, Memory budget). A variable the operator set is left as given.
// docs/operations.md says more.
import { setFlagsFromString } from 'node:v8';
import { compileCacheDir, fillCompileCache } from './compile-cache.ts';

/** Each setting: the V8 flag's name (as given, '-' or '_' alike) and the argument meshtail adds. */
const DEFAULTS: readonly { name: string; arg: string }[] = [
  { name: 'allocation-site-pretenuring', arg: '--no-allocation-site-pretenuring' },
  { name: 'heap-growing-percent', arg: '--heap-growing-percent=100' },
  { name: 'max-semi-space-size', arg: '--max-semi-space-size=4' },
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

/** The environment variable naming the flags meshtail added (comma-separated names), not the operator. */
export const V8_ADDED_ENV = 'MESHTAIL_V8_ADDED';

/**
 * The old generation's growing factor for the pipelines about to run, or undefined to leave it (the
 * operator set it). 100 % lets the next full collection wait until the heap doubles what the last one
 * kept: the idle agent marked every ~70 s instead of ~10 s (session 8). 50 % where no pipeline runs
 * redact or encrypt: raw and parsed backfills peak 5-10 MiB lower (under 150 MiB in every run), 1000
 * files appended 5-9 MiB lower with no more CPU, the parsed path +2-5 % CPU (bench/RESULTS.md,
 * Session 30). V8 reads the factor at each collection, so setting it when the pool is made reaches
 * the main thread and the workers.
 */
export function oldGenerationGrowthPercent(
  heavyScratch: boolean,
  env: NodeJS.ProcessEnv = process.env,
): number | undefined {
  if (!(env[V8_ADDED_ENV] ?? '').split(',').includes('heap-growing-percent')) return undefined;
  return heavyScratch ? 100 : 50;
}

/** glibc malloc settings, by environment variable (ignored by other C libraries). */
const MALLOC_DEFAULTS: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '131072',
};

/** The environment to start over with, or undefined if every malloc setting is there already. */
export function mallocEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv | undefined {
  const missing = Object.entries(MALLOC_DEFAULTS).filter(([name]) => env[name] === undefined);
  return missing.length === 0 ? undefined : { ...env, ...Object.fromEntries(missing) };
}

/**
 * Applies the agent's V8, malloc and compile-cache settings: may start this process over (it then
 * does not return).
 */
export async function tuneV8(): Promise<void> {
  const flags = v8Args(process.execArgv, process.env.NODE_OPTIONS ?? '');
  const cache = compileCacheDir(process.env);
  const malloc = mallocEnv(process.env);
  if (!flags && !malloc && !cache) return;
  const args = flags ?? [...process.execArgv];
  const added = args.slice(0, args.length - process.execArgv.length);
  const names = DEFAULTS.filter((d) => added.includes(d.arg)).map((d) => d.name);
  const marker = names.length > 0 ? { [V8_ADDED_ENV]: names.join(',') } : {};
  const env = { ...(malloc ?? process.env), ...(cache ? { NODE_COMPILE_CACHE: cache } : {}), ...marker };
  if (cache) await fillCompileCache(cache, added);
  const execve = (process as { execve?: (file: string, args: string[], env: NodeJS.ProcessEnv) => never })
    .execve;
  if (typeof execve === 'function') {
    try {
      execve.call(process, process.execPath, [process.execPath, ...args, ...process.argv.slice(1)], env);
    } catch {
      // e.g. the node binary replaced by an upgrade under the running agent: go on in this process
    }
  }
  for (const a of added) setFlagsFromString(a);
  Object.assign(process.env, marker);
}
