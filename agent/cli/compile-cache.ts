// Node's on-disk compile cache for meshtail's own modules. meshtail runs TypeScript by type
// stripping, so every start strips and compiles ~300 modules on the main thread and again in each
// worker: with the cache a `meshtail run` start costs ~0.5 s less CPU and its peak RSS ~35 MiB less
// (bench/RESULTS.md, "Compile cache"). Cached code is executed, so the directory must be one only this
// user (or root, for a cache baked into the image) can write: anything else is ignored, and meshtail
// starts without a cache rather than run code another account could have placed there.
import { lstatSync, mkdirSync } from 'node:fs';
import module from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the cache lives: MESHTAIL_COMPILE_CACHE, else ~/.cache/meshtail/compile-cache. */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.MESHTAIL_COMPILE_CACHE !== undefined) return env.MESHTAIL_COMPILE_CACHE || undefined;
  const home = env.HOME || homedir();
  if (!home || home === '/') return undefined;
  return join(home, '.cache', 'meshtail', 'compile-cache');
}

/**
 * Why `dir` must not hold executable cache entries, or undefined when it is safe to use: it must be a
 * real directory owned by a trusted account (this user, or root) that no group or other may write.
 */
export function unsafeCacheDir(dir: string, trusted = [process.getuid?.() ?? 0, 0]): string | undefined {
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(dir);
  } catch {
    return 'missing';
  }
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (!st.isDirectory()) return 'not a directory';
  if (!trusted.includes(st.uid)) return `owned by uid ${st.uid}`;
  if ((st.mode & 0o022) !== 0) return 'writable by group or others';
  return undefined;
}

/**
 * Turns the cache on for this thread and, through NODE_COMPILE_CACHE, for the worker threads and a
 * process started over by v8-flags.ts. Returns the directory, or undefined when there is none to use.
 */
export function enableCompileCache(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.NODE_COMPILE_CACHE !== undefined) return env.NODE_COMPILE_CACHE || undefined; // the operator's
  const dir = compileCacheDir(env);
  if (!dir) return undefined;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    // read-only home or image: a cache is an optimisation, start without it
  }
  if (unsafeCacheDir(dir) !== undefined) return undefined;
  const { status } = module.enableCompileCache(dir);
  if (status === module.constants.compileCacheStatus.FAILED) return undefined;
  env.NODE_COMPILE_CACHE = dir;
  return dir;
}
