// memory_limiter forced over its limit: the pipeline refuses admission, so the filelog receiver
// stops handing over lines (nothing is dropped, nothing is delivered meanwhile); once memory is
// below the soft limit again reading resumes and every line arrives exactly once. The process's
// memory reading is replaced by a value the test sets (limit_mib: 100, the soft limit 80 MiB).
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { Agent } from '../../agent/agent.ts';
import { loadConfigText } from '../../agent/config/load-config.ts';
import { formatConfigError } from '../../agent/kit/config/config-error.ts';
import { Registry } from '../../agent/registry.ts';
import { memoryLimiterFactoryWith } from '../../processors/memory_limiter/limiter-factory.ts';
import { filelogFactory } from '../../receivers/filelog/factory.ts';
import { captureFactory, newCapture } from '../support/capture-exporter.ts';

const dir = mkdtempSync(join(tmpdir(), 'meshtail-memlimit-'));
const MIB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('memory_limiter', () => {
  let agent: Agent | undefined;
  afterAll(async () => {
    await agent?.shutdown(5000);
    rmSync(dir, { recursive: true, force: true });
  });

  it('pauses reading above the soft limit and resumes below it, without loss', async () => {
    let rss = 10 * MIB;
    const sink = newCapture();
    const registry = new Registry([
      filelogFactory,
      memoryLimiterFactoryWith(() => rss),
      captureFactory(sink),
    ]);
    const log = join(dir, 'app.log');
    writeFileSync(log, '');
    const yaml = `receivers:
  filelog: { include: [${log}], start_at: beginning, poll_interval: 20ms }
processors:
  memory_limiter: { check_interval: 20ms, limit_mib: 100 }
exporters:
  capture: {}
service:
  data_dir: ${join(dir, 'state')}
  telemetry: { metrics: { address: null } }
  pipelines:
    logs: { receivers: [filelog], processors: [memory_limiter], exporters: [capture] }
`;
    const loaded = loadConfigText(yaml, 'limiter.yaml', registry);
    if (!loaded.ok) throw new Error(loaded.errors.map(formatConfigError).join('\n'));
    agent = new Agent(loaded.config, registry, { logger: pino({ level: 'silent' }) });
    await agent.start();
    const waitBodies = async (n: number) => {
      const end = Date.now() + 20_000;
      while (sink.bodies.length < n && Date.now() < end) await sleep(20);
      return sink.bodies.length;
    };
    const write = (from: number, n: number) => {
      let text = '';
      for (let i = from; i < from + n; i++) text += `mem ${i}\n`;
      appendFileSync(log, text);
    };

    write(0, 500);
    expect(await waitBodies(500)).toBe(500);

    rss = 90 * MIB; // above the soft limit (100 - 20 % spike = 80 MiB), below the hard one
    await sleep(60); // past check_interval: the next admission measures
    write(500, 500);
    const end = Date.now() + 20_000;
    while (!agent.refusing && Date.now() < end) await sleep(20);
    expect(agent.refusing).toBe(true);
    await sleep(500);
    expect(sink.bodies.length).toBe(500);
    expect(await agent.metrics.value('meshtail_memory_limiter_refusing')).toBe(1);
    expect(await agent.metrics.value('meshtail_memory_limiter_refusals_total')).toBe(1);

    rss = 70 * MIB;
    expect(await waitBodies(1000)).toBe(1000);
    write(1000, 500);
    expect(await waitBodies(1500)).toBe(1500);
    await sleep(200);
    expect(agent.refusing).toBe(false);
    expect(sink.bodies).toHaveLength(1500);
    expect(new Set(sink.bodies).size).toBe(1500);
    expect(sink.bodies).toEqual(Array.from({ length: 1500 }, (_, i) => `mem ${i}`));
  }, 60_000);
});
