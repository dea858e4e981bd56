// `meshtail run` reads stripped TypeScript from Node's compile cache (agent/cli/compile-cache.ts)
// so the type stripper never loads; what the cache holds is run as code, so only a directory this
// user alone can write is used.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileCacheDir } from '../../../../agent/cli/compile-cache.ts';

describe('compileCacheDir', () => {
  const root = mkdtempSync(join(tmpdir(), 'meshtail-cc-'));
  const uid = process.getuid!();
  const name = `meshtail-compile-cache-${uid}`;
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('makes a directory only this user can use, and uses it again', () => {
    const temp = join(root, 'fresh');
    mkdirSync(temp);
    const dir = compileCacheDir({}, temp);
    expect(dir).toBe(join(temp, name));
    expect(statSync(dir!).mode & 0o777).toBe(0o700);
    expect(compileCacheDir({}, temp)).toBe(dir);
  });

  it('refuses a directory others can write, and a link to one', () => {
    const open = join(root, 'open');
    mkdirSync(join(open, name), { recursive: true });
    chmodSync(join(open, name), 0o777);
    expect(compileCacheDir({}, open)).toBeUndefined();
    const linked = join(root, 'linked');
    mkdirSync(linked);
    const target = join(root, 'target');
    mkdirSync(target, { mode: 0o700 });
    symlinkSync(target, join(linked, name));
    expect(compileCacheDir({}, linked)).toBeUndefined();
  });

  it("leaves the operator's choice alone: a cache of their own, or none", () => {
    const temp = join(root, 'operator');
    mkdirSync(temp);
    expect(compileCacheDir({ NODE_COMPILE_CACHE: '/var/cache/x' }, temp)).toBeUndefined();
    expect(compileCacheDir({ NODE_DISABLE_COMPILE_CACHE: '1' }, temp)).toBeUndefined();
  });
});

describe('fillCompileCache', () => {
  const root = mkdtempSync(join(tmpdir(), 'meshtail-ccfill-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const FLAGS = ['--no-allocation-site-pretenuring', '--heap-growing-percent=100', '--max-semi-space-size=4'];
  const module = (path: string) => JSON.stringify(new URL(`../../../../${path}`, import.meta.url).href);

  /** Whether a node process with the agent's flags and this cache loads Node's type stripper for a worker. */
  const stripperLoaded = (cache: string) =>
    execFileSync(
      process.execPath,
      [
        ...FLAGS,
        '--input-type=module',
        '-e',
        `await import(${module('agent/pool/worker.ts')}); await import(${module('processors/redact/worker.ts')});
         process.stdout.write(String(process.moduleLoadList.some((m) => m.includes('amaro'))));`,
      ],
      { encoding: 'utf8', env: { ...process.env, NODE_COMPILE_CACHE: cache } },
    );

  it('fills the cache under the agent flags, so its threads never load the type stripper', () => {
    const cache = join(root, 'cache');
    mkdirSync(cache, { mode: 0o700 });
    execFileSync(process.execPath, [
      '--input-type=module',
      '-e',
      `const { fillCompileCache } = await import(${module('agent/cli/compile-cache.ts')});
       await fillCompileCache(${JSON.stringify(cache)}, ${JSON.stringify(FLAGS)});`,
    ]);
    expect(readdirSync(cache).filter((f) => f.startsWith('filled-'))).toHaveLength(1);
    expect(stripperLoaded(cache)).toBe('false');
    // The check can fail: an empty cache strips, and loads the stripper.
    const empty = join(root, 'empty');
    mkdirSync(empty, { mode: 0o700 });
    expect(stripperLoaded(empty)).toBe('true');
  });
});
