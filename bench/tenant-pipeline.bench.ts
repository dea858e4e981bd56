// The pipeline with per-tenant vs symmetric sealing, in one process: filelog → mesh_parse → rbac
// (4 tenants by status class) → encrypt → file exporter (sealed lines on the same keyring), 2 worker
// threads, on the demo's Istio TEXT traffic read from a file from the beginning. CPU of the whole
// process (main + workers) from start to the last record written, per line; the modes alternate.
// Not the raw-path bench (no network exporter, no Collector): the sealing stages are what differ.
// Run: node --expose-gc bench/tenant-pipeline.bench.ts   (Node 24)
import { closeSync, mkdirSync, mkdtempSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Agent } from '../agent/agent.ts';
import { createTraffic } from '../agent/demo/istio-traffic.ts';
import { writeActive, writeNewKey } from '../agent/kit/keyring/keyring-writer.ts';
import { writeRecipient } from '../agent/kit/keyring/recipient-files.ts';
import { Registry } from '../agent/registry.ts';
import { fileFactory } from '../exporters/file/factory.ts';
import { encryptFactory } from '../processors/encrypt/factory.ts';
import { meshParseFactory } from '../processors/mesh_parse/factory.ts';
import { rbacFactory } from '../processors/rbac/factory.ts';
import { filelogFactory } from '../receivers/filelog/factory.ts';
import { agentConfig } from '../test/support/agent-config.ts';

const LINES = 60_000;
const RUNS = 3;
const POLICY = `roles: { sre: { description: all } }
rules:
  - { name: ok, match: { status: [2xx] }, tenant: acme, classification: internal, audience: [sre] }
  - { name: server, match: { status: [5xx] }, tenant: globex, classification: internal, audience: [sre] }
  - { name: client, match: { status: [4xx] }, tenant: initech, classification: internal, audience: [sre] }
default: { tenant: umbrella, classification: internal, audience: [sre] }
`;

const root = mkdtempSync(join(os.tmpdir(), 'meshtail-bench-tenant-pipeline-'));
const symmetric = join(root, 'symmetric');
writeActive(symmetric, writeNewKey(symmetric));
const perTenant = join(root, 'tenants');
const active = [writeNewKey(perTenant)];
for (const t of ['acme', 'globex', 'initech', 'umbrella', '']) {
  writeRecipient(perTenant, `r-${t || 'default'}`, t, join(root, 'vault', `${t || 'default'}.json`));
  active.push(`r-${t || 'default'}`);
}
writeActive(perTenant, active);

const traffic = createTraffic({ seed: 7, replicas: 3 });
let text = '';
for (let i = 0; i < LINES; i++)
  text += `${traffic.next(1_760_000_000_000_000_000n + BigInt(i) * 200_000n).line}\n`;

/** The output's size: it stops growing once every line is read and written. */
function size(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

async function run(mode: string, keyring: string, n: number): Promise<number> {
  const dir = join(root, `${mode}-${n}`);
  const pods = join(dir, 'logs', 'pods', 'shop_orders-7d9f_uid-1', 'istio-proxy');
  mkdirSync(pods, { recursive: true });
  writeFileSync(join(pods, '0.log'), text);
  const out = join(dir, 'out.jsonl');
  const registry = new Registry([filelogFactory, meshParseFactory, rbacFactory, encryptFactory, fileFactory]);
  const config = agentConfig(registry, {
    receivers: { filelog: { include: [`${dir}/logs/**/*.log`], start_at: 'beginning', format: 'raw' } },
    processors: { mesh_parse: {}, rbac: { policy_inline: POLICY }, encrypt: { keyring } },
    exporters: { file: { path: out, encryption: { keyring } } },
    service: {
      data_dir: join(dir, 'state'),
      workers: { threads: 2 },
      pipelines: {
        logs: { receivers: ['filelog'], processors: ['mesh_parse', 'rbac', 'encrypt'], exporters: ['file'] },
      },
    },
  });
  const agent = new Agent(config, registry, { logger: pino({ level: 'silent' }) });
  (globalThis as { gc?: () => void }).gc?.();
  const start = process.cpuUsage();
  await agent.start();
  // Done when the output stops growing for 1 s (every line read and written; filelog reads from the start).
  let last = -1;
  let stable = 0;
  while (stable < 5) {
    await new Promise((r) => setTimeout(r, 200));
    const now = size(out);
    stable = now === last && now > 0 ? stable + 1 : 0;
    last = now;
  }
  const used = process.cpuUsage(start);
  await agent.shutdown();
  const fd = openSync(out, 'r');
  const buf = Buffer.alloc(16);
  readSync(fd, buf, 0, 16, 0);
  closeSync(fd);
  if (!buf.toString().startsWith(mode === 'per-tenant' ? 'enc:v3:' : 'enc:v2:'))
    throw new Error(`${mode}: not sealed as expected`);
  // The 1 s of idle polling at the end is in both modes alike.
  return (used.user + used.system) / 1000;
}

const cpus = os.cpus();
console.log(
  `node ${process.version}, ${cpus.length}x ${cpus[0]?.model}, load ${os.loadavg()[0]!.toFixed(1)}, ${LINES} lines, ${RUNS} runs each`,
);
const cpu: Record<string, number[]> = { symmetric: [], 'per-tenant': [] };
for (let i = 0; i < RUNS; i++) {
  cpu.symmetric!.push(await run('symmetric', symmetric, i));
  cpu['per-tenant']!.push(await run('per-tenant', perTenant, i));
  console.log(
    `run ${i}: symmetric ${cpu.symmetric![i]!.toFixed(0)} ms CPU, per-tenant ${cpu['per-tenant']![i]!.toFixed(0)} ms CPU`,
  );
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const ratios = cpu['per-tenant']!.map((t, i) => t / cpu.symmetric![i]!);
console.log(
  `median CPU s per million lines: symmetric ${((median(cpu.symmetric!) / LINES) * 1000).toFixed(1)}, per-tenant ${((median(cpu['per-tenant']!) / LINES) * 1000).toFixed(1)}; per-tenant / symmetric, median of paired runs: ${median(ratios).toFixed(3)}`,
);
