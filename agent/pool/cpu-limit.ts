// Thread count default: the container's CPU limit, not the host's cores. A DaemonSet pod limited to
// 1 CPU on a 64-core node must not start 64 workers that the CFS quota then throttles.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/**
 * Worker threads when `service.workers.threads` is unset: one fewer than the CPU limit, at least one.
 * The main thread reads, compresses (libuv's pool) and sends, and V8's helpers collect every
 * isolate's garbage: ~40 % of the whole pipeline's CPU and ~55 % of the parsed path's runs outside
 * the workers, so as many workers as CPUs oversubscribe them. On 2 CPUs, 1 worker instead of 2 cut
 * peak RSS by 25-85 MiB for the same CPU per line (bench/RESULTS.md, "Session 29").
 */
export function defaultThreads(root = '/sys/fs/cgroup'): number {
  return Math.max(1, cpuLimit(root) - 1);
}

/** CPUs allowed by cgroup v2 (`cpu.max`) or v1 (`cfs_quota_us`/`cfs_period_us`), else the available cores. */
export function cpuLimit(root = '/sys/fs/cgroup'): number {
  const cores = availableParallelism();
  const quota = cgroupV2Quota(root) ?? cgroupV1Quota(root);
  if (quota === undefined) return cores;
  return Math.max(1, Math.min(cores, Math.ceil(quota)));
}

function cgroupV2Quota(root: string): number | undefined {
  const text = readOrUndefined(`${root}/cpu.max`);
  if (!text) return undefined;
  const [max, period] = text.trim().split(/\s+/);
  if (!max || max === 'max' || !period) return undefined;
  const q = Number(max) / Number(period);
  return Number.isFinite(q) && q > 0 ? q : undefined;
}

function cgroupV1Quota(root: string): number | undefined {
  const quota = Number(readOrUndefined(`${root}/cpu/cpu.cfs_quota_us`));
  const period = Number(readOrUndefined(`${root}/cpu/cpu.cfs_period_us`));
  if (!(quota > 0) || !(period > 0)) return undefined;
  return quota / period;
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
