// Where a whole-pipeline record's CPU goes, stage by stage, on one thread: the side-by-side bench's
// pipeline (mesh_parse, rbac, redact with a hash key, encrypt with a fresh keyring, anomaly) over
// the demo's bookinfo traffic from 8 pods in batches of 700 (what one 256 KiB read holds), each batch
// decoded (raw records), run through the stages and encoded as OTLP protobuf in turn, as the agent's
// worker does; then the encoded batches' compression at gzip level 6 (the default, the Collector's
// too), gzip level 1 and zstd level 1. CPU µs per record of this process (garbage
// collection included where it falls), median of the measured rounds, each round on fresh records;
// and the bytes per record before and after compression. Then the one AES-256-GCM call per sealed
// record alone (node:crypto, the same key, nonce size, associated data and plaintext length as the
// encrypt stage's), and the three costs the design and the wire format fix per record whatever the
// code around them: that call, the OTLP encoding and gzip at the default level, beside the 25 µs a
// line that 40,000 lines per CPU second would allow (issue: whole pipeline floor).
// The stages add up to roughly what the agent's process tree spends per line (bench/RESULTS.md).
// Run: node bench/pipeline-stages.bench.ts [--lines 60000] [--rounds 5]   (Node 24)

import { createSecretKey, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { constants, gzipSync, zstdCompressSync } from 'node:zlib';
import { createTraffic } from '../agent/demo/istio-traffic.ts';
import { TENANT_ATTRIBUTE } from '../agent/kit/attributes.ts';
import { BODY_SPANS_FIELD } from '../agent/kit/keyring/body-spans.ts';
import {
  associatedDataV2,
  ENCRYPTED_ATTRIBUTE,
  ENCRYPTED_FIELDS_ATTRIBUTE,
  FILE_PATH_ATTRIBUTE,
  NONCE_BYTES,
  parseEnvelope,
  REQUEST_ID_ATTRIBUTE,
  seal,
} from '../agent/kit/keyring/envelope.ts';
import { keyringState, loadKeyring } from '../agent/kit/keyring/keyring.ts';
import { writeActive, writeNewKey } from '../agent/kit/keyring/keyring-writer.ts';
import { encodeLogs } from '../agent/kit/otlp/encoder.ts';
import type { ResourceLogs } from '../agent/kit/record/record.ts';
import type { ProcessLogs } from '../agent/kit/worker/processor.ts';
import { rawRecord } from '../agent/kit/worker/raw-decoder.ts';
import type { SharedStateReader } from '../agent/kit/worker/shared-state.ts';
import { createProcessor as createAnomaly } from '../processors/anomaly/worker.ts';
import { encryptConfig } from '../processors/encrypt/config.ts';
import { createProcessor as createEncrypt } from '../processors/encrypt/worker.ts';
import { meshParseConfig } from '../processors/mesh_parse/config.ts';
import { createProcessor as createMeshParse } from '../processors/mesh_parse/worker.ts';
import { rbacConfig } from '../processors/rbac/config.ts';
import { createProcessor as createRbac } from '../processors/rbac/worker.ts';
import { redactConfig } from '../processors/redact/config.ts';
import { createProcessor as createRedact } from '../processors/redact/worker.ts';
import { testContext } from '../test/support/processor-context.ts';
import { BOOKINFO_POLICY } from './lib/bookinfo-policy.ts';
import { git } from './lib/run-info.ts';

const { values } = parseArgs({
  options: { lines: { type: 'string', default: '60000' }, rounds: { type: 'string', default: '5' } },
});
const LINES = Number(values.lines);
const ROUNDS = Number(values.rounds);
const BATCH = 700;

const root = mkdtempSync(join(os.tmpdir(), 'meshtail-bench-stages-'));
const keys = join(root, 'keys');
writeActive(keys, writeNewKey(keys));
const loaded = loadKeyring(keys);
if (!loaded.ok) throw new Error(loaded.reason);
const made = keyringState(loaded.keyring);
if (!made.ok) throw new Error(made.reason);
const keyring = made.state;
const state = { current: () => keyring } as unknown as SharedStateReader<unknown>;

const stages: [string, ProcessLogs][] = [
  ['mesh_parse', createMeshParse(meshParseConfig.parse({}), testContext('mesh_parse'))],
  ['rbac', createRbac(rbacConfig.parse({ policy_inline: BOOKINFO_POLICY }), testContext('rbac'))],
  [
    'redact',
    createRedact(
      redactConfig.parse({ hash_key: 'bench-hash-key-not-secret', hash_key_id: 'bench' }),
      testContext('redact'),
    ),
  ],
  ['encrypt', createEncrypt(encryptConfig.parse({ keyring: keys }), testContext('encrypt', { state }))],
  ['anomaly', createAnomaly({ bucket: 10_000, allowed_lateness: 0 }, testContext('anomaly'))],
];

const traffic = createTraffic({ seed: 1, replicas: 8 });
let time = 1_795_600_000_000_000_000n;

interface Line {
  text: string;
  time: bigint;
  path: string;
  stream: string;
  namespace: string;
  pod: string;
}

/** The round's lines, flat (as the CRI decoder's toString gives them; the generator's are ropes). */
function lines(): Line[] {
  const out: Line[] = [];
  for (let i = 0; i < LINES; i++) {
    time += 50_000n;
    const t = traffic.next(time);
    out.push({
      text: Buffer.from(t.line).toString('utf8'),
      time,
      path: `/var/log/pods/${t.pod.namespace}_${t.pod.name}_${t.pod.uid}/istio-proxy/0.log`,
      stream: t.stream,
      namespace: t.pod.namespace,
      pod: t.pod.name,
    });
  }
  return out;
}

/** One batch of CRI-decoded records, made when the agent's worker would decode it. */
function batchOf(ls: Line[]): ResourceLogs {
  const first = ls[0] as Line;
  const records = ls.map((l) => {
    const r = rawRecord(l.text, l.time);
    r.attributes['log.file.path'] = l.path;
    r.attributes['log.iostream'] = l.stream;
    return r;
  });
  return {
    resource: { 'k8s.namespace.name': first.namespace, 'k8s.pod.name': first.pod },
    scope: { name: 'meshtail' },
    records,
  };
}

/** What the encrypt stage's GCM call took for one record: associated data and plaintext length. */
interface SealInput {
  aad: Buffer;
  plaintext: string;
}

const GCM_TAG_BYTES = 16;

/** The seal inputs of a batch's sealed records, rebuilt from what stays in clear (as decrypt does). */
function sealInputs(batch: ResourceLogs, into: SealInput[]): void {
  for (const r of batch.records) {
    const a = r.attributes;
    const bundle = a[ENCRYPTED_ATTRIBUTE];
    const fields = a[ENCRYPTED_FIELDS_ATTRIBUTE];
    if (typeof bundle !== 'string' || !Array.isArray(fields)) continue;
    const envelope = parseEnvelope(bundle);
    if (!envelope) throw new Error('pipeline-stages: a bundle that does not parse');
    const names = fields as string[];
    const text = (v: unknown) => (typeof v === 'string' ? v : '');
    const aad = associatedDataV2(envelope.kid, text(a[TENANT_ATTRIBUTE]), names, {
      time: String(r.timeUnixNano),
      requestId: text(a[REQUEST_ID_ATTRIBUTE]),
      file: text(a[FILE_PATH_ATTRIBUTE]),
      ...(names.includes(BODY_SPANS_FIELD) ? { body: text(r.body) } : {}),
    });
    const plaintextBytes = envelope.blob.length - NONCE_BYTES - GCM_TAG_BYTES;
    into.push({ aad, plaintext: 'x'.repeat(plaintextBytes) });
  }
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const COMPRESSORS: [string, (b: Uint8Array) => number][] = [
  ['gzip 6', (b) => gzipSync(b, { level: 6 }).length],
  ['gzip 1', (b) => gzipSync(b, { level: 1 }).length],
  ['zstd 1', (b) => zstdCompressSync(b, { params: { [constants.ZSTD_c_compressionLevel]: 1 } }).length],
];

const sealKey = createSecretKey(randomBytes(32));
const SEAL_ROW = 'AES-GCM call alone';
let sealedShare = 0;
const times = new Map<string, number[]>();
const sizes = new Map<string, number>();
const keep = (name: string, ms: number) => {
  const list = times.get(name) ?? [];
  list.push((ms * 1000) / LINES);
  times.set(name, list);
};
// As in the agent's worker: each batch is decoded, goes through every stage and is encoded before
// the next one is made, so only one batch's records are alive at a time (GC included where it falls).
for (let round = 0; round <= ROUNDS; round++) {
  const all = lines();
  const measured = round > 0; // round 0 warms up
  const spent = new Map<string, number>();
  const add = (name: string, ms: number) => spent.set(name, (spent.get(name) ?? 0) + ms);
  const encoded: Uint8Array[] = [];
  const sealed: SealInput[] = [];
  for (let at = 0; at < all.length; at += BATCH) {
    let t0 = cpuMs();
    const batch = batchOf(all.slice(at, at + BATCH));
    add('decode', cpuMs() - t0);
    for (const [name, process] of stages) {
      t0 = cpuMs();
      process(batch);
      add(name, cpuMs() - t0);
    }
    t0 = cpuMs();
    encoded.push(encodeLogs([batch], 'proto'));
    add('encode', cpuMs() - t0);
    sealInputs(batch, sealed);
  }
  if (measured) for (const [name, ms] of spent) keep(name, ms);
  // A fresh nonce per call, drawn before the clock starts (the processor draws them in blocks too).
  const nonces = randomBytes(NONCE_BYTES * sealed.length);
  const s0 = cpuMs();
  for (let i = 0; i < sealed.length; i++) {
    const { aad, plaintext } = sealed[i]!;
    seal('k', sealKey, nonces.subarray(i * NONCE_BYTES, (i + 1) * NONCE_BYTES), plaintext, aad);
  }
  if (measured) keep(SEAL_ROW, cpuMs() - s0);
  sealedShare = sealed.length / LINES;
  sizes.set('protobuf', encoded.reduce((n, e) => n + e.length, 0) / LINES);
  for (const [name, compress] of COMPRESSORS) {
    const c0 = cpuMs();
    let bytes = 0;
    for (const e of encoded) bytes += compress(e);
    if (measured) keep(name, cpuMs() - c0);
    sizes.set(name, bytes / LINES);
  }
}
rmSync(root, { recursive: true, force: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
console.log(
  `${new Date().toISOString().slice(0, 16)} UTC, node ${process.version}, commit ${git('rev-parse', '--short', 'HEAD')}, load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}, ${LINES} lines × ${ROUNDS} rounds, batches of ${BATCH}`,
);
console.log('\n| stage | µs per record (median) | rounds |\n|---|---:|---|');
let chain = 0;
for (const [name, list] of times) {
  const m = median(list);
  if (!name.includes(' ')) chain += m;
  if (name === SEAL_ROW) continue;
  console.log(`| ${name} | ${m.toFixed(2)} | ${list.map((x) => x.toFixed(1)).join(' / ')} |`);
}
console.log(`| **decode + processors + encode** | **${chain.toFixed(2)}** | |`);
console.log(`\nbytes per record: ${[...sizes].map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}`);
// Per record of the batch (sealed or not), so the three rows add up like the stages above.
const fixed: [string, number][] = [
  [`${SEAL_ROW} (${(100 * sealedShare).toFixed(0)} % of records sealed)`, median(times.get(SEAL_ROW) ?? [0])],
  ['encode', median(times.get('encode') ?? [0])],
  ['gzip 6', median(times.get('gzip 6') ?? [0])],
];
const floor = fixed.reduce((n, [, m]) => n + m, 0);
console.log('\n| fixed by the design and the wire format | µs per record (median) |\n|---|---:|');
for (const [name, m] of fixed) console.log(`| ${name} | ${m.toFixed(2)} |`);
console.log(`| **together** | **${floor.toFixed(2)}** |`);
console.log(`| 40,000 lines per CPU second allow | 25.00 |`);
