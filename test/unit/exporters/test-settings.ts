// ComponentSettings for exporter tests: a fresh SelfMetrics and a pino logger whose lines are kept,
// so tests can assert both the counters and that nothing secret was logged.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { ComponentSettings } from '../../../agent/kit/component.ts';
import { SelfMetrics } from '../../../agent/telemetry/self-metrics.ts';

export interface TestSettings extends ComponentSettings {
  metrics: SelfMetrics;
  logLines: string[];
}

export function testSettings(id: string): TestSettings {
  const logLines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => logLines.push(line) });
  const type = id.split('/')[0]!;
  return {
    id,
    type,
    dataDir: mkdtempSync(join(tmpdir(), 'meshtail-exp-')),
    logger,
    metrics: new SelfMetrics(),
    logLines,
  };
}

/** Fast retries so tests finish quickly; the values are not asserted. */
export const FAST_RETRY = {
  initial_interval: '10ms',
  max_interval: '50ms',
  max_elapsed_time: '5s',
};

export function exporterValue(s: TestSettings, name: string, labels: Record<string, string> = {}) {
  return s.metrics.value(`meshtail_exporter_${name}`, { exporter: s.id, ...labels });
}
