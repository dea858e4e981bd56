// The parsed path's worker work, split: mesh_parse on 20k demo sidecar lines (CRI-decoded records
// with log.iostream), then the OTLP protobuf encoding of those records. CPU µs per record (this
// process's CPU time), median and best of the measured rounds; a fresh batch each round, so each
// round pays for building its own records and, with --expose-gc, for its own garbage.
// Run: node --expose-gc bench/parsed-encode.bench.ts   (Node 24)
import os from 'node:os';
import { createTraffic } from '../agent/demo/istio-traffic.ts';
import { encodeLogs } from '../agent/kit/otlp/encoder.ts';
import type { LogRecord, ResourceLogs } from '../agent/kit/record/record.ts';
import { rawRecord } from '../agent/kit/worker/raw-decoder.ts';
import { meshParseConfig } from '../processors/mesh_parse/config.ts';
import { createProcessor } from '../processors/mesh_parse/worker.ts';

const LINES = 20_000;
const WARMUP = 4;
const ROUNDS = 15;

const traffic = createTraffic({ seed: 1, replicas: 3 });
const lines: string[] = [];
for (let i = 0; i < LINES; i++)
  lines.push(traffic.next(1_760_000_000_000_000_000n + BigInt(i) * 200_000n).line);
const resource = { 'k8s.pod.name': 'reviews-v2-5b4b7c8d9f-x2x9k', 'k8s.namespace.name': 'default' };

function batchOf(): ResourceLogs {
  const records = lines.map((l, i): LogRecord => {
    const r = rawRecord(l, 1_760_000_000_000_000_000n + BigInt(i));
    r.attributes['log.iostream'] = 'stdout';
    return r;
  });
  return { resource, scope: { name: 'meshtail', version: '0.1.0' }, records };
}

const cpuUs = (from: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(from);
  return u.user + u.system;
};
const parse = createProcessor(meshParseConfig.parse({}));
const gc = (globalThis as { gc?: () => void }).gc;
const parseUs: number[] = [];
const encodeUs: number[] = [];
let bytes = 0;
for (let round = 0; round < WARMUP + ROUNDS; round++) {
  const batch = batchOf();
  gc?.();
  let start = process.cpuUsage();
  parse(batch);
  const p = cpuUs(start);
  start = process.cpuUsage();
  bytes = encodeLogs([batch], 'proto').length;
  const e = cpuUs(start);
  if (round >= WARMUP) {
    parseUs.push(p / LINES);
    encodeUs.push(e / LINES);
  }
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const best = (v: number[]) => Math.min(...v);
console.log(
  `node ${process.version}, ${os.cpus().length}x ${os.cpus()[0]?.model}, ${LINES} lines, ${ROUNDS} rounds`,
);
console.log(
  `mesh_parse  median ${median(parseUs).toFixed(2)} µs/record  best ${best(parseUs).toFixed(2)}\n` +
    `encode      median ${median(encodeUs).toFixed(2)} µs/record  best ${best(encodeUs).toFixed(2)}  (${(bytes / LINES).toFixed(0)} B/record)`,
);
