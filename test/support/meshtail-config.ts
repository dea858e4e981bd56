// Writes a `meshtail run` config for tests and benchmarks: one filelog receiver reading from the
// beginning, one exporter, state under dataDir, the admin server on a chosen loopback port.
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

export interface MeshtailConfigOptions {
  include: string[];
  /** Exporter id (e.g. `otlp_grpc`, `otlp_http/json`) and its options. */
  exporter: { id: string; config: Record<string, unknown> };
  dataDir: string;
  adminPort: number;
  pollInterval?: string;
  workers?: Record<string, unknown>;
  /** More filelog options (e.g. `retention`). */
  filelog?: Record<string, unknown>;
  /** meshtail's own log level (default warn). */
  logLevel?: string;
}

/** Short waits so a backend outage of a few seconds is bridged quickly in tests. */
export const FAST_RETRY = { initial_interval: '100ms', max_interval: '1s', max_elapsed_time: '2m' };

export function writeMeshtailConfig(path: string, o: MeshtailConfigOptions): string {
  const config = {
    receivers: {
      filelog: {
        include: o.include,
        start_at: 'beginning',
        poll_interval: o.pollInterval ?? '50ms',
        ...o.filelog,
      },
    },
    exporters: { [o.exporter.id]: o.exporter.config },
    service: {
      data_dir: o.dataDir,
      ...(o.workers ? { workers: o.workers } : {}),
      telemetry: { metrics: { address: `127.0.0.1:${o.adminPort}` }, logs: { level: o.logLevel ?? 'warn' } },
      pipelines: { logs: { receivers: ['filelog'], exporters: [o.exporter.id] } },
    },
  };
  writeFileSync(path, stringify(config));
  return path;
}
