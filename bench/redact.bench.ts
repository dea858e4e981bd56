// redact throughput, one thread, on records mesh_parse already parsed (parsing is outside the
// timing): the demo's seeded bookinfo traffic (clean lines: nothing but IPs to pseudonymise) and the
// seeded-secret corpus of the tests (Istio TEXT, TEXT with logged headers, JSON; a third carrying
// one secret). Lines/s per wall second and per CPU second (the per-core figure), best and median of
// the measured rounds after warm-up. The heap is collected before each round and left to settle
// for SETTLE_MS: the sweeping after a forced full collection runs on helper threads, which
// process.cpuUsage() counts, and it was ~30 % of a round's CPU time (the bench's own ~200 MB of
// inputs and clones, not the redactor's garbage; that still counts).
// Run: node --expose-gc bench/redact.bench.ts   (Node 24)

import os from 'node:os';
import { createTraffic } from '../agent/demo/istio-traffic.ts';
import type { LogRecord, ResourceLogs } from '../agent/kit/record/record.ts';
import { rawRecord } from '../agent/kit/worker/raw-decoder.ts';
import { meshParseConfig } from '../processors/mesh_parse/config.ts';
import { createProcessor as meshParse } from '../processors/mesh_parse/worker.ts';
import { redactConfig } from '../processors/redact/config.ts';
import { createProcessor as redact } from '../processors/redact/worker.ts';
import { testContext } from '../test/support/processor-context.ts';
import { HEADERS_FORMAT, secretCorpus } from '../test/support/secret-corpus.ts';

const LINES = 20_000;
const WARMUP = 3;
const ROUNDS = 10;
const SETTLE_MS = 200;
console.log(
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

const traffic = createTraffic({ seed: 1, replicas: 3 });
const clean: string[] = [];
for (let i = 0; i < LINES; i++)
  clean.push(traffic.next(1_760_000_000_000_000_000n + BigInt(i) * 200_000n).line);
const seeded = secretCorpus(20261125, LINES).map((c) => c.line);

const resource = { 'k8s.pod.name': 'reviews-v2-5b4b7c8d9f-x2x9k', 'k8s.namespace.name': 'default' };
function parsed(lines: string[]): LogRecord[] {
  const batch: ResourceLogs = {
    resource,
    scope: { name: 'meshtail' },
    records: lines.map((l) => rawRecord(l, 0n)),
  };
  meshParse(meshParseConfig.parse({ formats: [HEADERS_FORMAT] }))(batch);
  return batch.records;
}

async function measure(name: string, records: LogRecord[], config: unknown): Promise<void> {
  const process = redact(redactConfig.parse(config), testContext('redact'));
  const wall: number[] = [];
  const cpu: number[] = [];
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    const batch: ResourceLogs = { resource, scope: { name: 'meshtail' }, records: structuredClone(records) };
    gc?.();
    await new Promise((settled) => setTimeout(settled, SETTLE_MS));
    const start = performance.now();
    const startCpu = globalThis.process.cpuUsage();
    process(batch);
    const used = globalThis.process.cpuUsage(startCpu);
    if (round >= WARMUP) {
      wall.push(performance.now() - start);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  const rate = (ms: number[], at: number) => LINES / ([...ms].sort((a, b) => a - b)[at]! / 1000);
  const mid = Math.floor(ROUNDS / 2);
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(9);
  console.log(
    `${name.padEnd(44)} wall best ${fmt(rate(wall, 0))} median ${fmt(rate(wall, mid))}   ` +
      `per CPU-second best ${fmt(rate(cpu, 0))} median ${fmt(rate(cpu, mid))} lines/s`,
  );
}

const cpus = os.cpus();
console.log(
  `node ${process.version}, ${cpus.length}x ${cpus[0]?.model}, ${LINES} lines, ${ROUNDS} rounds after ${WARMUP} warm-up`,
);
const cleanRecords = parsed(clean);
const seededRecords = parsed(seeded);
const key = { hash_key: 'bench-key-of-at-least-16-chars', hash_key_id: 'b1' };
await measure('demo traffic, clean (redact: {})', cleanRecords, {});
await measure('seeded-secret corpus (redact: {})', seededRecords, {});
await measure('demo traffic, clean, hash_key set', cleanRecords, key);
await measure('demo traffic, clean, private_ip: hash', cleanRecords, { actions: { private_ip: 'hash' } });
await measure('seeded-secret corpus, private_ip: hash', seededRecords, { actions: { private_ip: 'hash' } });
