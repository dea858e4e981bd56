// Node's compile cache for `meshtail run`. Node strips the types of each .ts module with a
// WebAssembly build of swc that it loads on first use, once per thread: 17 MiB of the main
// thread's RSS and 12 MiB of each worker's (measured: a one-line .ts module vs .js, alone and in a
// worker; docs/architecture.md, Memory budget). With the compile cache the stripped code is read
// from disk and the stripper never loads. The cache lives in a directory only this user can write
// (what it holds is run as code), under the system's temp dir unless NODE_COMPILE_CACHE says
// where; it is filled once, before the agent starts over (v8-flags.ts), so the agent's own threads
// find every module there.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { enableCompileCache, flushCompileCache } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';

/** The cache directory to use, or undefined: the operator chose (or turned it off), or it is unsafe. */
export function compileCacheDir(env: NodeJS.ProcessEnv, temp = tmpdir()): string | undefined {
  if (env.NODE_COMPILE_CACHE !== undefined || env.NODE_DISABLE_COMPILE_CACHE !== undefined) return undefined;
  const uid = process.getuid?.();
  if (uid === undefined) return undefined;
  const dir = join(temp, `meshtail-compile-cache-${uid}`);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  try {
    const st = lstatSync(dir);
    // Another user's directory (or a link to one) could hand the agent code to run.
    if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o077) !== 0) return undefined;
  } catch {
    return undefined;
  }
  return dir;
}

const ROOT = new URL('../../', import.meta.url);
const SOURCES = ['agent', 'receivers', 'processors', 'exporters'];

/** A digest of Node, the flags and every source file's path, size and mtime: filled again when one changes. */
function sourcesDigest(v8Flags: readonly string[]): string {
  const hash = createHash('sha256').update(`${process.version} ${v8Flags.join(' ')}\n`);
  for (const dir of SOURCES) {
    const base = fileURLToPath(new URL(dir, ROOT));
    for (const file of (readdirSync(base, { recursive: true }) as string[]).sort()) {
      if (!file.endsWith('.ts')) continue;
      const st = statSync(join(base, file));
      hash.update(`${dir}/${file}:${st.size}:${st.mtimeMs}\n`);
    }
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Fills `dir` with every module `meshtail run` may load (the runtime, each component, each worker
 * module), unless it was filled from these very sources (importing them all from the cache still
 * costs ~0.5 CPU s; the check ~10 ms). A failure leaves the cache partial: a module not in it is
 * stripped as before.
 */
export async function fillCompileCache(dir: string, v8Flags: readonly string[]): Promise<void> {
  const marker = join(dir, `filled-${sourcesDigest(v8Flags)}`);
  if (existsSync(marker)) return;
  // Node keeps code cached under the V8 flags it was compiled with: fill it under the agent's.
  for (const flag of v8Flags) setFlagsFromString(flag);
  enableCompileCache(dir);
  try {
    await import('./run-command.ts');
    await import('../pool/worker.ts');
    const { fullRegistry } = await import('../components.ts');
    for (const f of (await fullRegistry()).all())
      if (f.kind === 'processor' && f.workerModule) await import(f.workerModule);
    flushCompileCache();
    writeFileSync(marker, '', { mode: 0o600 });
  } catch {
    flushCompileCache();
  }
}
