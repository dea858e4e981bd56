// CPU time and peak memory of a process from Linux /proc, read while it still runs. Worker threads
// are threads of the process, so their CPU is included.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** user + system CPU seconds of `pid` (threads included). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** Peak resident set size (VmHWM) of `pid`, in MiB. */
export function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

export function machine(): { nproc: number; cpu: string; load: string } {
  const model = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
  return {
    nproc: cpus().length,
    cpu: model?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown',
    load: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
  };
}

/** CPU seconds of each thread group of `pid`, by thread name (main "node", workers, libuv pool, V8 helpers). */
export function threadCpuSeconds(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, t] of Object.entries(threadUserSystemSeconds(pid))) out[name] = t.user + t.system;
  return out;
}

/** User and system (kernel: syscalls, page faults) CPU seconds of each thread group of `pid`, by thread name. */
export function threadUserSystemSeconds(pid: number): Record<string, { user: number; system: number }> {
  const out: Record<string, { user: number; system: number }> = {};
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).trim();
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out[name] ??= { user: 0, system: 0 };
    const t = out[name];
    t.user += Number(fields[11]) / TICKS;
    t.system += Number(fields[12]) / TICKS;
  }
  return out;
}

/** `pid` and its descendants (from the ppid field of /proc/<n>/stat). */
export function processTree(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++)
    for (const [child, p] of parent) if (p === tree[i] && !tree.includes(child)) tree.push(child);
  return tree;
}

/** user + system CPU seconds of `pid`'s process tree (threads and reaped children included). */
export function treeCpuSeconds(pid: number): number {
  let sum = 0;
  for (const p of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      sum += (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICKS;
    } catch {
      // the process ended
    }
  }
  return sum;
}

/** The sum of VmHWM over `pid`'s process tree, in MiB. */
export function treePeakRssMiB(pid: number): number {
  let sum = 0;
  for (const p of processTree(pid)) {
    try {
      sum += peakRssMiB(p);
    } catch {
      // the process ended
    }
  }
  return sum;
}
