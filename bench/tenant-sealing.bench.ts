// Per-tenant sealing vs the symmetric keyring: the encrypt worker on the demo's Istio traffic, the
// records spread over 4 tenants (rbac's job, done here outside the timing), in batches of 1,000
// (a pool task carries ~256 KiB, about that many demo lines). Both modes run in alternate rounds,
// so a load swing on the shared machine hits both alike. Then what the per-tenant mode adds: one
// data-key wrap (X25519 + HKDF + GCM) per batch and tenant, one unwrap in decrypt, and bundle size.
// Lines/s per core = per CPU-second of this process, median of the measured rounds.
// Run: node --expose-gc bench/tenant-sealing.bench.ts   (Node 24)
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { createTraffic } from '../agent/demo/istio-traffic.ts';
import { keyringState, loadKeyring } from '../agent/kit/keyring/keyring.ts';
import { writeActive, writeNewKey } from '../agent/kit/keyring/keyring-writer.ts';
import { unwrapDataKey, wrapNewDataKey } from '../agent/kit/keyring/recipient.ts';
import { writeRecipient } from '../agent/kit/keyring/recipient-files.ts';
import type { LogRecord, ResourceLogs } from '../agent/kit/record/record.ts';
import { rawRecord } from '../agent/kit/worker/raw-decoder.ts';
import type { SharedStateReader } from '../agent/kit/worker/shared-state.ts';
import { encryptConfig } from '../processors/encrypt/config.ts';
import { createProcessor } from '../processors/encrypt/worker.ts';
import { meshParseConfig } from '../processors/mesh_parse/config.ts';
import { createProcessor as createMeshParse } from '../processors/mesh_parse/worker.ts';

const LINES = 20_000;
const BATCH = 1_000;
const WARMUP = 3;
const ROUNDS = 12;
const TENANTS = ['acme', 'globex', 'initech', 'umbrella'];
const noop = { count: () => {}, emit: () => {} };

function stateOf(dir: string) {
  const loaded = loadKeyring(dir);
  if (!loaded.ok) throw new Error(loaded.reason);
  const made = keyringState(loaded.keyring);
  if (!made.ok) throw new Error(made.reason);
  return made.state;
}

const root = mkdtempSync(join(os.tmpdir(), 'meshtail-bench-tenants-'));
const symmetricDir = join(root, 'symmetric');
writeActive(symmetricDir, writeNewKey(symmetricDir));
const tenantDir = join(root, 'tenants');
const active = [writeNewKey(tenantDir)];
for (const t of TENANTS) {
  writeRecipient(tenantDir, `r-${t}`, t, join(root, 'vault', `${t}.json`));
  active.push(`r-${t}`);
}
writeActive(tenantDir, active);

const parse = createMeshParse(meshParseConfig.parse({}), { id: 'mesh_parse', ...noop });
const traffic = createTraffic({ seed: 1, replicas: 3 });
const batch: ResourceLogs = {
  resource: {},
  scope: { name: 'meshtail' },
  records: Array.from({ length: LINES }, (_, i) =>
    rawRecord(traffic.next(1_760_000_000_000_000_000n + BigInt(i) * 200_000n).line, 0n),
  ),
};
parse(batch);
const records: LogRecord[] = batch.records;
for (const [i, r] of records.entries()) r.attributes['meshtail.tenant'] = TENANTS[i % TENANTS.length]!;

function processorFor(dir: string) {
  const state = stateOf(dir);
  const reader = { current: () => state } as unknown as SharedStateReader<unknown>;
  return createProcessor(encryptConfig.parse({ keyring: dir }), { id: 'encrypt', state: reader, ...noop });
}
const modes = { symmetric: processorFor(symmetricDir), 'per-tenant': processorFor(tenantDir) };
const cpu: Record<string, number[]> = { symmetric: [], 'per-tenant': [] };
const bundleChars: Record<string, number> = {};
const gc = (globalThis as { gc?: () => void }).gc;
for (let round = 0; round < WARMUP + ROUNDS; round++) {
  for (const [mode, process] of Object.entries(modes)) {
    const copy = structuredClone(records);
    gc?.();
    const start = globalThis.process.cpuUsage();
    for (let i = 0; i < LINES; i += BATCH)
      process({ resource: {}, scope: { name: 'meshtail' }, records: copy.slice(i, i + BATCH) });
    const used = globalThis.process.cpuUsage(start);
    if (round >= WARMUP) cpu[mode]!.push((used.user + used.system) / 1000);
    let chars = 0;
    let sealed = 0;
    for (const r of copy) {
      const e = r.attributes['meshtail.encrypted'];
      if (typeof e === 'string') {
        chars += e.length;
        sealed++;
      }
    }
    bundleChars[mode] = chars / Math.max(1, sealed);
  }
}
const median = (ms: number[]) => [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)]!;
const cpus = os.cpus();
console.log(
  `node ${globalThis.process.version}, ${cpus.length}x ${cpus[0]?.model}, load ${os.loadavg()[0]!.toFixed(1)}, ` +
    `${LINES} records in batches of ${BATCH}, ${TENANTS.length} tenants, ${ROUNDS} rounds after ${WARMUP}`,
);
for (const mode of Object.keys(modes)) {
  const ms = median(cpu[mode]!);
  console.log(
    `${mode.padEnd(12)} per CPU-second median ${Math.round(LINES / (ms / 1000))
      .toLocaleString('en-US')
      .padStart(8)} lines/s` + `   mean bundle ${bundleChars[mode]!.toFixed(0)} chars`,
  );
}
const ratios = cpu['per-tenant']!.map((t, i) => t / cpu.symmetric![i]!);
console.log(`per-tenant / symmetric CPU, median of paired rounds: ${median(ratios).toFixed(3)}`);

const { publicKey, privateKey } = generateKeyPairSync('x25519');
function micro(name: string, n: number, fn: () => void): void {
  for (let i = 0; i < n; i++) fn();
  const runs: number[] = [];
  for (let r = 0; r < 7; r++) {
    const start = globalThis.process.cpuUsage();
    for (let i = 0; i < n; i++) fn();
    const used = globalThis.process.cpuUsage(start);
    runs.push((used.user + used.system) / n);
  }
  console.log(
    `${name.padEnd(44)} ${runs
      .sort((a, b) => a - b)[3]!
      .toFixed(1)
      .padStart(7)} µs`,
  );
}
const sample = wrapNewDataKey('r-acme', 'acme', publicKey);
micro('wrap a data key (once per batch and tenant)', 2_000, () =>
  wrapNewDataKey('r-acme', 'acme', publicKey),
);
micro('unwrap it (decrypt, once per wrapping)', 2_000, () =>
  unwrapDataKey('r-acme', 'acme', privateKey, sample.wrapped),
);
