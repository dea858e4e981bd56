// `meshtail run` turns V8's allocation-site pretenuring off, fixes the heap growing factor and caps
// the main thread's young generation (agent/cli/v8-flags.ts): it starts over once, in the same process, with the flags on the node
// command line, each unless the operator set it.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  mallocEnv,
  oldGenerationGrowthPercent,
  V8_ADDED_ENV,
  v8Args,
} from '../../../../agent/cli/v8-flags.ts';
import { freePort } from '../../../support/free-port.ts';
import { writeMeshtailConfig } from '../../../support/meshtail-config.ts';
import { MeshtailProcess } from '../../../support/meshtail-process.ts';

describe('v8Args', () => {
  it('adds pretenuring off, a fixed heap growing factor and a young generation cap, keeping the other node arguments', () => {
    expect(v8Args([], '')).toEqual([
      '--no-allocation-site-pretenuring',
      '--heap-growing-percent=100',
      '--max-semi-space-size=4',
    ]);
    expect(v8Args(['--enable-source-maps'], '--max-old-space-size=300')).toEqual([
      '--no-allocation-site-pretenuring',
      '--heap-growing-percent=100',
      '--max-semi-space-size=4',
      '--enable-source-maps',
    ]);
  });

  it('leaves each flag to the operator who set it either way, on the command line or in NODE_OPTIONS', () => {
    expect(v8Args(['--allocation-site-pretenuring'], '')).toEqual([
      '--heap-growing-percent=100',
      '--max-semi-space-size=4',
      '--allocation-site-pretenuring',
    ]);
    expect(v8Args([], '--max-old-space-size=300 --allocation-site-pretenuring')).toEqual([
      '--heap-growing-percent=100',
      '--max-semi-space-size=4',
    ]);
    expect(v8Args(['--no_allocation_site_pretenuring'], '')).toEqual([
      '--heap-growing-percent=100',
      '--max-semi-space-size=4',
      '--no_allocation_site_pretenuring',
    ]);
    expect(v8Args(['--heap_growing_percent=50'], '--max-semi-space-size=4')).toEqual([
      '--no-allocation-site-pretenuring',
      '--heap_growing_percent=50',
    ]);
    expect(
      v8Args(['--allocation_site_pretenuring', '--max_semi_space_size=32'], '--heap-growing-percent=300'),
    ).toBeUndefined();
    // ...and a process already started over has them all: no second restart.
    expect(
      v8Args(
        ['--no-allocation-site-pretenuring', '--heap-growing-percent=100', '--max-semi-space-size=4'],
        '',
      ),
    ).toBeUndefined();
  });
});

describe('oldGenerationGrowthPercent', () => {
  const ours = { [V8_ADDED_ENV]: 'allocation-site-pretenuring,heap-growing-percent,max-semi-space-size' };

  it('doubles the heap before a full collection while redact or encrypt runs, half as much otherwise', () => {
    expect(oldGenerationGrowthPercent(true, ours)).toBe(100);
    expect(oldGenerationGrowthPercent(false, ours)).toBe(50);
  });

  it("leaves the factor alone where meshtail did not add it: the operator's, or no restart", () => {
    expect(
      oldGenerationGrowthPercent(false, { [V8_ADDED_ENV]: 'allocation-site-pretenuring' }),
    ).toBeUndefined();
    expect(oldGenerationGrowthPercent(false, {})).toBeUndefined();
    expect(oldGenerationGrowthPercent(true, { [V8_ADDED_ENV]: 'heap-growing-percent-x' })).toBeUndefined();
  });
});

describe('mallocEnv', () => {
  it("adds glibc's fixed mmap threshold and two arenas, keeping the rest of the environment", () => {
    expect(mallocEnv({ PATH: '/bin' })).toEqual({
      PATH: '/bin',
      MALLOC_ARENA_MAX: '2',
      MALLOC_MMAP_THRESHOLD_: '131072',
    });
  });

  it('leaves a variable the operator set as given, and needs no restart once both are there', () => {
    expect(mallocEnv({ MALLOC_ARENA_MAX: '8' })).toEqual({
      MALLOC_ARENA_MAX: '8',
      MALLOC_MMAP_THRESHOLD_: '131072',
    });
    expect(mallocEnv({ MALLOC_ARENA_MAX: '8', MALLOC_MMAP_THRESHOLD_: '0' })).toBeUndefined();
  });
});

describe('meshtail run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshtail-v8flags-'));
  let meshtail: MeshtailProcess | undefined;
  afterAll(async () => {
    await meshtail?.stop('SIGKILL');
  });

  it('runs with the flags on its command line, in the process it was started as', async () => {
    const logs = join(dir, 'logs');
    mkdirSync(logs);
    writeFileSync(join(logs, 'a.log'), 'one\ntwo\n');
    const adminPort = await freePort();
    const config = writeMeshtailConfig(join(dir, 'meshtail.yaml'), {
      include: [join(logs, '*.log')],
      exporter: { id: 'debug', config: {} },
      dataDir: join(dir, 'state'),
      adminPort,
    });
    meshtail = await MeshtailProcess.start(config, adminPort, join(dir, 'meshtail.log'));
    // The PID the test spawned now runs node with the flags (execve keeps the PID), each once.
    const cmdline = readFileSync(`/proc/${meshtail.pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
    expect(cmdline.filter((a) => a === '--no-allocation-site-pretenuring')).toHaveLength(1);
    expect(cmdline.filter((a) => /^--(heap-growing-percent|max-semi-space-size)/.test(a))).toEqual([
      '--heap-growing-percent=100',
      '--max-semi-space-size=4',
    ]);
    expect(cmdline.slice(-3)).toEqual(['run', '-c', config]);
    const environ = readFileSync(`/proc/${meshtail.pid}/environ`, 'utf8').split('\0');
    // ...and says which flags it added, so the pool may tune those and only those.
    expect(environ).toContain(
      `${V8_ADDED_ENV}=allocation-site-pretenuring,heap-growing-percent,max-semi-space-size`,
    );
    expect(environ.filter((v) => v.startsWith('MALLOC_')).sort()).toEqual([
      'MALLOC_ARENA_MAX=2',
      'MALLOC_MMAP_THRESHOLD_=131072',
    ]);
    // ...with the compile cache filled before the restart: the stripped worker module is there.
    const cache = environ
      .find((v) => v.startsWith('NODE_COMPILE_CACHE='))
      ?.slice('NODE_COMPILE_CACHE='.length);
    expect(cache).toBe(join(tmpdir(), `meshtail-compile-cache-${process.getuid!()}`));
    expect(
      readdirSync(cache!)
        .filter((d) => d.startsWith('v'))
        .flatMap((d) => readdirSync(join(cache!, d))).length,
    ).toBeGreaterThan(100);
    // And it works as before: both lines read, a clean stop.
    const end = Date.now() + 10_000;
    while (Date.now() < end && (await meshtail.metric('meshtail_receiver_read_lines_total')) < 2)
      await new Promise((r) => setTimeout(r, 50));
    expect(await meshtail.metric('meshtail_receiver_read_lines_total')).toBe(2);
    expect((await meshtail.stop()).code).toBe(0);
    meshtail = undefined;
  });
});
