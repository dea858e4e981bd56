// The compile cache holds code that meshtail executes: a directory another account could write is
// never used (an attacker's entry there would run inside the agent), and meshtail then starts without.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileCacheDir, enableCompileCache, unsafeCacheDir } from '../../../../agent/cli/compile-cache.ts';

const root = mkdtempSync(join(tmpdir(), 'meshtail-compile-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function dir(name: string, mode: number): string {
  const d = join(root, name);
  mkdirSync(d);
  chmodSync(d, mode);
  return d;
}

describe('compile cache directory', () => {
  it('accepts a directory only its owner can write', () => {
    expect(unsafeCacheDir(dir('private', 0o700))).toBeUndefined();
    expect(unsafeCacheDir(dir('readable', 0o755))).toBeUndefined();
  });

  it('refuses one a group or anyone may write, or another account owns', () => {
    expect(unsafeCacheDir(dir('group', 0o770))).toBe('writable by group or others');
    expect(unsafeCacheDir(dir('world', 0o777))).toBe('writable by group or others');
    expect(unsafeCacheDir(dir('sticky', 0o1777))).toBe('writable by group or others');
    expect(unsafeCacheDir(dir('theirs', 0o700), [12345])).toMatch(/^owned by uid \d+$/);
  });

  it('refuses a symbolic link, a file and a missing path', () => {
    const target = dir('target', 0o700);
    symlinkSync(target, join(root, 'link'));
    expect(unsafeCacheDir(join(root, 'link'))).toBe('a symbolic link');
    writeFileSync(join(root, 'file'), '');
    expect(unsafeCacheDir(join(root, 'file'))).toBe('not a directory');
    expect(unsafeCacheDir(join(root, 'nowhere'))).toBe('missing');
  });

  it('is not turned on over a writable directory, and says so by leaving NODE_COMPILE_CACHE unset', () => {
    const env: NodeJS.ProcessEnv = { MESHTAIL_COMPILE_CACHE: dir('shared', 0o777) };
    expect(enableCompileCache(env)).toBeUndefined();
    expect(env.NODE_COMPILE_CACHE).toBeUndefined();
  });

  it("leaves the operator's NODE_COMPILE_CACHE as given, and can be turned off", () => {
    const env: NodeJS.ProcessEnv = { NODE_COMPILE_CACHE: '/somewhere' };
    expect(enableCompileCache(env)).toBe('/somewhere');
    expect(compileCacheDir({ MESHTAIL_COMPILE_CACHE: '' })).toBeUndefined();
    expect(compileCacheDir({ HOME: '/' })).toBeUndefined();
    expect(compileCacheDir({ HOME: '/home/agent' })).toBe('/home/agent/.cache/meshtail/compile-cache');
  });
});
