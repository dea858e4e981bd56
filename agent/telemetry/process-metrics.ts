// The process's own metrics, under the names Prometheus client libraries use (process_*, nodejs_*),
// and meshtail_build_info. Every value is read when /metrics is scraped: no timer, no observer, so
// an idle agent pays nothing for them (prom-client's collectDefaultMetrics would add a 10 ms event
// loop monitor and a GC observer; the loop delay is meshtail_process_event_loop_delay_seconds).
import { readdirSync, readFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { Counter, Gauge } from 'prom-client';
import type { SelfMetrics } from './self-metrics.ts';

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export function meshtailVersion(): string {
  return VERSION;
}

export function registerProcessMetrics(metrics: SelfMetrics): void {
  const registers = [metrics.registry];
  if (metrics.registry.getSingleMetric('process_cpu_seconds_total')) return;
  let last = process.cpuUsage();
  const cpu = { user: 0, system: 0 };
  const readCpu = () => {
    const now = process.cpuUsage();
    cpu.user += (now.user - last.user) / 1e6;
    cpu.system += (now.system - last.system) / 1e6;
    last = now;
  };
  // Counters whose value is the process's own total: set from it on each scrape.
  const total = (name: string, help: string, value: () => number) =>
    new Counter({
      name,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(value());
      },
    });
  total('process_cpu_user_seconds_total', 'User CPU time of the process (all threads), seconds.', () => {
    readCpu();
    return cpu.user;
  });
  total('process_cpu_system_seconds_total', 'System CPU time of the process (all threads), seconds.', () => {
    readCpu();
    return cpu.system;
  });
  total(
    'process_cpu_seconds_total',
    'User and system CPU time of the process (all threads), seconds.',
    () => {
      readCpu();
      return cpu.user + cpu.system;
    },
  );
  const gauge = (name: string, help: string, value: () => number | undefined) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        const v = value();
        if (v !== undefined) this.set(v);
      },
    });
  gauge(
    'process_resident_memory_bytes',
    'Resident memory of the process (main thread and workers), bytes.',
    () => process.memoryUsage.rss(),
  );
  const start = Date.now() / 1000 - process.uptime();
  gauge('process_start_time_seconds', 'When the process started, Unix time in seconds.', () => start);
  gauge('process_open_fds', 'Open file descriptors.', () => {
    try {
      return readdirSync('/proc/self/fd').length;
    } catch {
      return undefined;
    }
  });
  gauge(
    'nodejs_heap_size_used_bytes',
    "The main thread's V8 heap in use, bytes.",
    () => process.memoryUsage().heapUsed,
  );
  gauge(
    'nodejs_heap_size_total_bytes',
    "The main thread's V8 heap size, bytes.",
    () => getHeapStatistics().total_heap_size,
  );
  gauge(
    'nodejs_external_memory_bytes',
    'Memory held by buffers outside the V8 heap, bytes.',
    () => process.memoryUsage().external,
  );
  const info = new Gauge({
    name: 'meshtail_build_info',
    help: 'Always 1; the labels name the meshtail version and the Node.js version it runs on.',
    labelNames: ['version', 'node_version'],
    registers,
  });
  info.set({ version: VERSION, node_version: process.version }, 1);
}
