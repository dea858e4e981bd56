// Encoded outputs are freed once every exporter of the pipeline is done with them, and never while
// an exporter may still read them: a pipeline with one exporter that keeps payloads frees nothing,
// and a view into a pooled or shared buffer is never detached.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from '../../../../agent/agent.ts';
import type { Exporter, ExporterFactory, Payload } from '../../../../agent/kit/component.ts';
import { options } from '../../../../agent/kit/config/schema.ts';
import { freeBytes } from '../../../../agent/pipeline/free-bytes.ts';
import { Registry } from '../../../../agent/registry.ts';
import { filelogFactory } from '../../../../receivers/filelog/factory.ts';
import { agentConfig } from '../../../support/agent-config.ts';

describe('freeBytes', () => {
  it('detaches a buffer that is wholly the output', () => {
    const bytes = new Uint8Array(new ArrayBuffer(1024));
    freeBytes(bytes);
    expect(bytes.buffer.detached).toBe(true);
    expect(bytes.byteLength).toBe(0);
  });

  it('leaves views into larger, pooled or shared buffers alone', () => {
    const whole = new ArrayBuffer(64);
    const part = new Uint8Array(whole, 8, 16);
    freeBytes(part);
    expect(whole.detached).toBe(false);
    const pooled = Buffer.from('a small pooled buffer');
    freeBytes(pooled);
    expect(pooled.toString()).toBe('a small pooled buffer');
    const shared = new Uint8Array(new SharedArrayBuffer(32));
    freeBytes(shared);
    expect(shared.byteLength).toBe(32);
  });
});

interface Seen {
  payloads: Payload[];
  bodies: string[];
}

/** Decodes each payload within export() (as real exporters copy), keeping the payload object. */
function exporterFactory(type: string, seen: Seen, releasesPayload: boolean): ExporterFactory {
  return {
    kind: 'exporter',
    type,
    description: 'test exporter',
    signals: ['logs'],
    config: options({}),
    create: (): Exporter => ({
      encoding: 'json',
      releasesPayload,
      start: async () => {},
      shutdown: async () => {},
      async export(payload) {
        await new Promise((r) => setTimeout(r, 5)); // still reading after a turn of the loop
        seen.payloads.push(payload);
        const req = JSON.parse(Buffer.from(payload.bytes).toString('utf8'));
        for (const rl of req.resourceLogs)
          for (const sl of rl.scopeLogs)
            for (const lr of sl.logRecords) seen.bodies.push(lr.body.stringValue);
      },
    }),
  };
}

const agents: Agent[] = [];
afterEach(async () => {
  for (const a of agents.splice(0)) await a.shutdown(5000);
});

async function run(exporters: Record<string, boolean>): Promise<Record<string, Seen>> {
  const dir = mkdtempSync(join(tmpdir(), 'meshtail-free-bytes-'));
  mkdirSync(join(dir, 'logs'));
  const lines = Array.from({ length: 3000 }, (_, i) => `line ${i} ${'x'.repeat(200)}`);
  writeFileSync(join(dir, 'logs', 'a.log'), `${lines.join('\n')}\n`);
  const seen: Record<string, Seen> = {};
  const factories = Object.entries(exporters).map(([type, releases]) => {
    seen[type] = { payloads: [], bodies: [] };
    return exporterFactory(type, seen[type]!, releases);
  });
  const registry = new Registry([filelogFactory, ...factories]);
  const config = agentConfig(registry, {
    receivers: { filelog: { include: [`${dir}/logs/*.log`], start_at: 'beginning', poll_interval: '20ms' } },
    exporters: Object.fromEntries(Object.keys(exporters).map((t) => [t, {}])),
    service: {
      data_dir: join(dir, 'state'),
      workers: { threads: 1 },
      pipelines: { logs: { receivers: ['filelog'], exporters: Object.keys(exporters) } },
    },
  });
  const agent = new Agent(config, registry, { logger: pino({ level: 'silent' }) });
  agents.push(agent);
  await agent.start();
  const end = Date.now() + 20_000;
  while (Object.values(seen).some((s) => s.bodies.length < lines.length) && Date.now() < end)
    await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 100)); // the pipeline frees after every export settled
  for (const s of Object.values(seen)) expect(s.bodies).toEqual(lines);
  return seen;
}

describe('a pipeline frees its outputs after delivery', () => {
  it('frees them when every exporter releases payloads, after each read them whole', async () => {
    const seen = await run({ reader: true });
    expect(seen.reader!.payloads.length).toBeGreaterThan(0);
    for (const p of seen.reader!.payloads) expect(p.bytes.byteLength).toBe(0);
  });

  it('frees nothing while one exporter of the pipeline keeps them', async () => {
    const seen = await run({ reader: true, keeper: false });
    for (const p of [...seen.reader!.payloads, ...seen.keeper!.payloads])
      expect(p.bytes.byteLength).toBeGreaterThan(0);
  });
});
