// The workers' young generation follows the pipelines: small while no pipeline runs a processor that
// makes much per-record garbage (redact, encrypt), large once one does, and back at a reload.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { Agent } from '../../../../agent/agent.ts';
import { loadConfig } from '../../../../agent/config/load-config.ts';
import { formatConfigError } from '../../../../agent/kit/config/config-error.ts';
import { WORKER_YOUNG_GENERATION_MB } from '../../../../agent/pool/worker-pool.ts';
import { Registry } from '../../../../agent/registry.ts';
import { meshParseFactory } from '../../../../processors/mesh_parse/factory.ts';
import { redactFactory } from '../../../../processors/redact/factory.ts';
import { filelogFactory } from '../../../../receivers/filelog/factory.ts';
import { captureFactory, newCapture } from '../../../support/capture-exporter.ts';

const dir = mkdtempSync(join(tmpdir(), 'meshtail-young-choice-'));

function config(processors: string[]): string {
  const file = join(dir, `meshtail-${processors.join('-') || 'raw'}.yaml`);
  writeFileSync(
    file,
    `receivers:
  filelog: { include: [${join(dir, '*.log')}], start_at: beginning, poll_interval: 50ms }
processors:
${processors.map((p) => `  ${p}: {}`).join('\n')}
exporters:
  capture: {}
service:
  data_dir: ${join(dir, 'state')}
  telemetry: { metrics: { address: null } }
  pipelines:
    logs: { receivers: [filelog], processors: [${processors.join(', ')}], exporters: [capture] }
`,
  );
  return file;
}

describe('worker young generation by pipeline', () => {
  let agent: Agent | undefined;
  afterAll(async () => {
    await agent?.shutdown(5000);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is light for parsing alone, heavy with redact, light again after a reload without it', async () => {
    const registry = new Registry([
      filelogFactory,
      meshParseFactory,
      redactFactory,
      captureFactory(newCapture()),
    ]);
    const load = (processors: string[]) => {
      const loaded = loadConfig(config(processors), registry, { checkFiles: true });
      if (!loaded.ok) throw new Error(loaded.errors.map(formatConfigError).join('\n'));
      return loaded.config;
    };
    agent = new Agent(load(['mesh_parse']), registry, { logger: pino({ level: 'silent' }) });
    await agent.start();
    expect(agent.pool.youngGenerationMb).toBe(WORKER_YOUNG_GENERATION_MB.light);
    await agent.reload(load(['mesh_parse', 'redact']));
    expect(agent.pool.youngGenerationMb).toBe(WORKER_YOUNG_GENERATION_MB.heavy);
    await agent.reload(load(['mesh_parse']));
    expect(agent.pool.youngGenerationMb).toBe(WORKER_YOUNG_GENERATION_MB.light);
  }, 60_000);
});
