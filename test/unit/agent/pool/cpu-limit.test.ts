import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cpuLimit, defaultThreads } from '../../../../agent/pool/cpu-limit.ts';

const roots: string[] = [];
function cgroup(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'meshtail-cgroup-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

describe('cpuLimit and the default worker threads', () => {
  const cores = availableParallelism();

  it('reads a cgroup v2 quota, rounds it up and never exceeds the cores', () => {
    expect(cpuLimit(cgroup({ 'cpu.max': '150000 100000\n' }))).toBe(Math.min(cores, 2));
    expect(cpuLimit(cgroup({ 'cpu.max': '50000 100000\n' }))).toBe(1);
    expect(cpuLimit(cgroup({ 'cpu.max': `${(cores + 8) * 100000} 100000\n` }))).toBe(cores);
  });

  it('reads a cgroup v1 quota, and takes the cores when there is no quota', () => {
    expect(cpuLimit(cgroup({ 'cpu/cpu.cfs_quota_us': '100000', 'cpu/cpu.cfs_period_us': '100000' }))).toBe(1);
    expect(cpuLimit(cgroup({ 'cpu.max': 'max 100000\n' }))).toBe(cores);
    expect(cpuLimit(cgroup({}))).toBe(cores);
  });

  it('leaves one CPU to the main thread, and keeps at least one worker', () => {
    expect(defaultThreads(cgroup({ 'cpu.max': '50000 100000\n' }))).toBe(1);
    expect(defaultThreads(cgroup({ 'cpu.max': '100000 100000\n' }))).toBe(1);
    expect(defaultThreads(cgroup({}))).toBe(Math.max(1, cores - 1));
    if (cores >= 4) expect(defaultThreads(cgroup({ 'cpu.max': '400000 100000\n' }))).toBe(3);
  });
});
