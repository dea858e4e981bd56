// `meshtail run` reads stripped TypeScript from Node's compile cache (agent/cli/compile-cache.ts)
// so the type stripper never loads; what the cache holds is run as code, so only a directory this
// user alone can write is used.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
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
