// Agent.reload in process: an edited rbac policy file applies at the reload (records read after it
// carry the new policy's tenant, those before the old one's), the unchanged receiver and exporter
// are kept, and every line is delivered once.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { Agent } from '../../../agent/agent.ts';
import { loadConfig } from '../../../agent/config/load-config.ts';
import { formatConfigError } from '../../../agent/kit/config/config-error.ts';
import { Registry } from '../../../agent/registry.ts';
import { rbacFactory } from '../../../processors/rbac/factory.ts';
import { filelogFactory } from '../../../receivers/filelog/factory.ts';
import { captureFactory, newCapture } from '../../support/capture-exporter.ts';

const dir = mkdtempSync(join(tmpdir(), 'meshtail-reload-policy-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const policy = (tenant: string) => `roles:
  sre: { description: everything }
rules: []
default: { tenant: ${tenant}, classification: internal, audience: [sre] }
`;

describe('Agent.reload', () => {
  let agent: Agent | undefined;
  afterAll(async () => {
    await agent?.shutdown(5000);
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies an edited rbac policy file, keeping the unchanged receiver and exporter', async () => {
    const sink = newCapture();
    const registry = new Registry([filelogFactory, rbacFactory, captureFactory(sink)]);
    const log = join(dir, 'app.log');
    const policyFile = join(dir, 'policy.yaml');
    const configFile = join(dir, 'meshtail.yaml');
    writeFileSync(log, '');
    writeFileSync(policyFile, policy('first'));
    writeFileSync(
      configFile,
      `receivers:
  filelog: { include: [${log}], start_at: beginning, poll_interval: 20ms }
processors:
  rbac: { policy: ${policyFile} }
exporters:
  capture: {}
service:
  data_dir: ${join(dir, 'state')}
  telemetry: { metrics: { address: null } }
  pipelines:
    logs: { receivers: [filelog], processors: [rbac], exporters: [capture] }
`,
    );
    const load = () => {
      const loaded = loadConfig(configFile, registry, { checkFiles: true });
      if (!loaded.ok) throw new Error(loaded.errors.map(formatConfigError).join('\n'));
      return loaded.config;
    };
    agent = new Agent(load(), registry, { logger: pino({ level: 'silent' }) });
    await agent.start();
    const waitFor = async (n: number) => {
      const end = Date.now() + 20_000;
      while (sink.records.length < n && Date.now() < end) await sleep(20);
      return sink.records.length;
    };
    const write = (from: number, n: number) =>
      appendFileSync(log, Array.from({ length: n }, (_, i) => `policy ${from + i}\n`).join(''));

    write(0, 300);
    expect(await waitFor(300)).toBe(300);
    writeFileSync(policyFile, policy('second'));
    const summary = await agent.reload(load());
    expect(summary).toEqual({ kept: ['filelog', 'capture'], rebuilt: [], added: [], removed: [] });
    write(300, 300);
    expect(await waitFor(600)).toBe(600);
    await sleep(200);

    expect(sink.bodies).toEqual(Array.from({ length: 600 }, (_, i) => `policy ${i}`));
    const tenants = sink.records.map((r) => r.attributes['meshtail.tenant']);
    expect(tenants.slice(0, 300).every((t) => t === 'first')).toBe(true);
    expect(tenants.slice(300).every((t) => t === 'second')).toBe(true);
  }, 60_000);
});
