// encrypt throughput, one thread: records already parsed by mesh_parse (outside the timing) through
// the encrypt worker's createProcessor with a real keyring, three inputs: JSON access lines carrying
// authorization, cookie, query, x-user-id and X-Forwarded-For (every record sealed + 2 pseudonyms),
// the demo's Istio TEXT traffic (client.address pseudonymised and sealed with the body), and the
// same traffic with nothing configured to protect (the per-record check alone), and the records the
// side-by-side pipeline hands encrypt: the same traffic (8 replicas, one batch per pod) after
// mesh_parse, rbac and redact. Then the cost that
// decided the format: one AES-256-GCM call per field vs one per bundle, and one HMAC pseudonym.
// Lines/s per core = per CPU-second of this process, median of the measured rounds.
// Run: node --expose-gc bench/encrypt.bench.ts [--only <words in a case's name>]   (Node 24)
import { createSecretKey, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { createTraffic } from '../agent/demo/istio-traffic.ts';
import { associatedData, seal } from '../agent/kit/keyring/envelope.ts';
import { keyringState, loadKeyring } from '../agent/kit/keyring/keyring.ts';
import { writeActive, writeNewKey } from '../agent/kit/keyring/keyring-writer.ts';
import type { LogRecord, ResourceLogs } from '../agent/kit/record/record.ts';
import { rawRecord } from '../agent/kit/worker/raw-decoder.ts';
import type { SharedStateReader } from '../agent/kit/worker/shared-state.ts';
import { DEFAULT_ENCRYPT_FIELDS, encryptConfig } from '../processors/encrypt/config.ts';
import { pseudonym, pseudonymKey } from '../processors/encrypt/pseudonym.ts';
import { createProcessor } from '../processors/encrypt/worker.ts';
import { meshParseConfig } from '../processors/mesh_parse/config.ts';
import { createProcessor as createMeshParse } from '../processors/mesh_parse/worker.ts';
import { rbacConfig } from '../processors/rbac/config.ts';
import { createProcessor as createRbac } from '../processors/rbac/worker.ts';
import { redactConfig } from '../processors/redact/config.ts';
import { createProcessor as createRedact } from '../processors/redact/worker.ts';
import { BOOKINFO_POLICY } from './lib/bookinfo-policy.ts';

const LINES = 20_000;
const only = globalThis.process.argv.includes('--only')
  ? globalThis.process.argv[globalThis.process.argv.indexOf('--only') + 1]
  : undefined;
const WARMUP = 3;
const ROUNDS = 10;
const noop = { count: () => {}, emit: () => {} };

const dir = join(mkdtempSync(join(os.tmpdir(), 'meshtail-bench-keys-')), 'keys');
writeActive(dir, writeNewKey(dir));
const loaded = loadKeyring(dir);
if (!loaded.ok) throw new Error(loaded.reason);
const made = keyringState(loaded.keyring);
if (!made.ok) throw new Error(made.reason);
const state = made.state;
const reader = { current: () => state } as unknown as SharedStateReader<unknown>;

function parsed(lines: string[]): LogRecord[] {
  const parse = createMeshParse(meshParseConfig.parse({ user_id: { from: [{ header: 'x-user-id' }] } }), {
    id: 'mesh_parse',
    ...noop,
  });
  const batch: ResourceLogs = {
    resource: {},
    scope: { name: 'meshtail' },
    records: lines.map((l) => rawRecord(l, 0n)),
  };
  parse(batch);
  return batch.records;
}

const seeded = parsed(
  Array.from({ length: LINES }, (_, i) =>
    JSON.stringify({
      start_time: new Date(Date.UTC(2024, 10, 5, 10, 0, 0, i)).toISOString(),
      method: 'GET',
      path: `/api/orders/${i}?token=${randomBytes(12).toString('hex')}&page=${i % 7}`,
      protocol: 'HTTP/1.1',
      response_code: 200,
      duration: i % 50,
      authority: 'orders:8080',
      x_forwarded_for: `203.0.113.${i % 250}`,
      'x-user-id': `user-${i % 500}@example.com`,
      authorization: `Bearer ${randomBytes(24).toString('base64url')}`,
      cookie: `session=${randomBytes(16).toString('hex')}`,
      request_id: `req-${i}`,
      upstream_cluster: 'outbound|8080||orders.shop.svc.cluster.local',
      downstream_remote_address: `10.1.0.${i % 200}:51000`,
    }),
  ),
);
const traffic = createTraffic({ seed: 1, replicas: 3 });
const demo = parsed(
  Array.from(
    { length: LINES },
    (_, i) => traffic.next(1_760_000_000_000_000_000n + BigInt(i) * 200_000n).line,
  ),
);

/** The traffic as the pipeline hands it to encrypt: one batch per pod, after mesh_parse, rbac, redact. */
function pipelineBatches(): ResourceLogs[] {
  const stages = [
    createMeshParse(meshParseConfig.parse({}), { id: 'mesh_parse', ...noop }),
    createRbac(rbacConfig.parse({ policy_inline: BOOKINFO_POLICY }), { id: 'rbac', ...noop }),
    createRedact(redactConfig.parse({ hash_key: 'bench-hash-key-not-secret', hash_key_id: 'bench' })),
  ];
  const pipeline = createTraffic({ seed: 1, replicas: 8 });
  const byPod = new Map<string, ResourceLogs>();
  let time = 1_795_600_000_000_000_000n;
  for (let i = 0; i < LINES; i++) {
    time += 50_000n;
    const t = pipeline.next(time);
    const path = `/var/log/pods/${t.pod.namespace}_${t.pod.name}_${t.pod.uid}/istio-proxy/0.log`;
    let batch = byPod.get(path);
    if (!batch) {
      batch = {
        resource: { 'k8s.namespace.name': t.pod.namespace, 'k8s.pod.name': t.pod.name },
        scope: { name: 'meshtail' },
        records: [],
      };
      byPod.set(path, batch);
    }
    // Flat, as the CRI decoder's toString gives it (the generator's template strings are ropes).
    const r = rawRecord(Buffer.from(t.line).toString('utf8'), time);
    r.timeUnixNano = time;
    r.attributes['log.file.path'] = path;
    r.attributes['log.iostream'] = t.stream;
    batch.records.push(r);
  }
  for (const batch of byPod.values()) for (const stage of stages) stage(batch);
  return [...byPod.values()];
}

/**
 * `input`: records, cloned for each round, or a function making each round's batches afresh (the
 * pipeline's records as the stages before encrypt built them, not as structuredClone rebuilds them).
 */
function measure(
  name: string,
  input: LogRecord[] | (() => ResourceLogs[]),
  options: Record<string, unknown>,
): void {
  if (only !== undefined && !name.includes(only)) return;
  const batchesOf =
    typeof input === 'function'
      ? input
      : () => [{ resource: {}, scope: { name: 'meshtail' }, records: structuredClone(input) }];
  const process = createProcessor(encryptConfig.parse({ keyring: dir, ...options }), {
    id: 'encrypt',
    state: reader,
    ...noop,
  });
  const cpu: number[] = [];
  const wall: number[] = [];
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    const batches = batchesOf();
    gc?.();
    const start = performance.now();
    const startCpu = globalThis.process.cpuUsage();
    for (const batch of batches) process(batch);
    const used = globalThis.process.cpuUsage(startCpu);
    if (round >= WARMUP) {
      wall.push(performance.now() - start);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  const median = (ms: number[]) => LINES / ([...ms].sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]! / 1000);
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(9);
  console.log(
    `${name.padEnd(52)} wall median ${fmt(median(wall))}   per CPU-second median ${fmt(median(cpu))} lines/s`,
  );
}

/** µs per record of `fn`, median of 7 runs of n calls. */
function micro(name: string, n: number, fn: () => void): number {
  for (let i = 0; i < n; i++) fn();
  const runs: number[] = [];
  for (let r = 0; r < 7; r++) {
    const start = globalThis.process.cpuUsage();
    for (let i = 0; i < n; i++) fn();
    const used = globalThis.process.cpuUsage(start);
    runs.push((used.user + used.system) / n);
  }
  const us = runs.sort((a, b) => a - b)[3]!;
  console.log(`${name.padEnd(52)} ${us.toFixed(2).padStart(7)} µs per record`);
  return us;
}

const cpus = os.cpus();
console.log(
  `node ${globalThis.process.version}, ${cpus.length}x ${cpus[0]?.model}, ${LINES} records, ${ROUNDS} rounds after ${WARMUP}`,
);
const withUser = [...DEFAULT_ENCRYPT_FIELDS, 'http.request.header.x-user-id'];
measure('sensitive JSON lines (auth, cookie, query, user, xff)', seeded, { fields: withUser });
measure('demo Istio TEXT traffic, default config', demo, {});
measure('demo Istio TEXT traffic, nothing to protect', demo, { fields: [], pseudonymize: [], body: 'never' });
if (only === undefined || 'pipeline'.includes(only))
  measure('pipeline records (mesh_parse, rbac, redact), default', pipelineBatches, {});
if (only !== undefined) globalThis.process.exit(0);

// One call per field vs one per bundle: the 4 values of a typical sensitive record.
const key = createSecretKey(Buffer.from(state.keys[state.active]!, 'base64'));
const hmacKey = pseudonymKey(Buffer.from(state.keys[state.active]!, 'base64'));
const nonce = randomBytes(12);
const values = [
  `Bearer ${randomBytes(24).toString('base64url')}`,
  `session=${randomBytes(16).toString('hex')}`,
  `token=${randomBytes(12).toString('hex')}&page=3`,
  '203.0.113.9',
];
const names = [
  'http.request.header.authorization',
  'http.request.header.cookie',
  'url.query',
  'http.request.header.x-forwarded-for',
];
const perField = micro('GCM: 4 fields sealed one call each', 50_000, () => {
  for (let i = 0; i < 4; i++)
    seal(
      'k1',
      key,
      nonce,
      JSON.stringify({ stringValue: values[i] }),
      associatedData('k1', 'acme', [names[i]!]),
    );
});
const perBundle = micro('GCM: the same 4 fields in one bundle', 50_000, () => {
  seal(
    'k1',
    key,
    nonce,
    JSON.stringify(values.map((v) => ({ stringValue: v }))),
    associatedData('k1', 'acme', names),
  );
});
console.log(`${'per field / per bundle'.padEnd(52)} ${(perField / perBundle).toFixed(2).padStart(7)} x`);
micro('HMAC pseudonym of one value', 100_000, () => pseudonym('k1', hmacKey, '203.0.113.9'));
