// The anomaly processor: quality on the labelled synthetic day and cost per core.
// 1. Per-detector precision (strict per kind), recall and false alerts per quiet hour on the full
//    seeded day (test/support/anomaly-suite.ts, seed 7, 24 h, 1-minute buckets).
// 2. The worker part (aggregateBatch) on mesh_parse'd lines of the demo's seeded Istio traffic,
//    lines/s per wall and per CPU second (the per-core figure that holds on a loaded machine).
// 3. The main part: AnomalyEngine.add per batch aggregate (merge into the open bucket, and judge
//    the buckets that close), µs per batch.
// Run: node --expose-gc bench/anomaly-suite.bench.ts   (Node 24)

import os from 'node:os';
import { createTraffic } from '../agent/demo/istio-traffic.ts';
import type { LogRecord, ResourceLogs } from '../agent/kit/record/record.ts';
import { rawRecord } from '../agent/kit/worker/raw-decoder.ts';
import {
  type BatchAggregate,
  type BucketAggregate,
  emptyBucket,
  mergeBucket,
} from '../processors/anomaly/aggregate.ts';
import { anomalyConfig } from '../processors/anomaly/config.ts';
import { AnomalyEngine } from '../processors/anomaly/engine.ts';
import { aggregateBatch } from '../processors/anomaly/worker.ts';
import { meshParseConfig } from '../processors/mesh_parse/config.ts';
import { createProcessor as meshParse } from '../processors/mesh_parse/worker.ts';
import { runSuite } from '../test/support/anomaly-suite.ts';

const BATCH = 2_000;
const BATCHES = 25;
const WARMUP = 3;
const ROUNDS = 10;
const gc = (globalThis as { gc?: () => void }).gc;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const cpus = os.cpus();
console.log(
  `node ${process.version}, ${cpus.length}x ${cpus[0]?.model}, load ${os.loadavg()[0]?.toFixed(1)}`,
);

// 1. Quality.
const t0 = performance.now();
const suite = runSuite({ seed: 7, hours: 24, rate: 40 });
console.log(
  `\nlabelled day: seed 7, 24 h, ${fmt(suite.records)} records, ${suite.injections.length} injections, ` +
    `${suite.quietHours} quiet hours, ${suite.falseInQuietHours} false alerts in them ` +
    `(${suite.falsePerQuietHour.toFixed(2)}/quiet hour); ${fmt(performance.now() - t0)} ms`,
);
console.log('| detector | injected | detected | fired | true | precision | recall |');
console.log('|---|---|---|---|---|---|---|');
for (const r of suite.rows) {
  console.log(
    `| ${r.kind} | ${r.injected} | ${r.detected} | ${r.fired} | ${r.truePositives} | ${r.precision.toFixed(2)} | ${r.recall.toFixed(2)} |`,
  );
}

// 2. Worker part: 25 batches of 2,000 parsed lines, event time 2 ms apart (100 s: 10 buckets of 10 s).
const traffic = createTraffic({ seed: 1, replicas: 3 });
const parse = meshParse(meshParseConfig.parse({}));
const resource = { 'k8s.pod.name': 'reviews-v2-5b4b7c8d9f-x2x9k', 'k8s.namespace.name': 'default' };
const batches: ResourceLogs[] = [];
let time = 1_760_000_000_000_000_000n;
for (let b = 0; b < BATCHES; b++) {
  const records: LogRecord[] = [];
  for (let i = 0; i < BATCH; i++) {
    time += 2_000_000n;
    const r = rawRecord(traffic.next(time).line, 0n);
    r.timeUnixNano = time;
    records.push(r);
  }
  const batch = { resource, scope: { name: 'meshtail' }, records };
  parse(batch);
  batches.push(batch);
}
const access = batches.reduce(
  (n, b) => n + b.records.filter((r) => r.attributes['meshtail.log.kind'] === 'access').length,
  0,
);
const bucket = 10_000;
const wall: number[] = [];
const cpu: number[] = [];
let aggregates: BatchAggregate[] = [];
for (let round = 0; round < WARMUP + ROUNDS; round++) {
  gc?.();
  const start = performance.now();
  const startCpu = process.cpuUsage();
  aggregates = batches.map((b) => aggregateBatch(b, bucket));
  const used = process.cpuUsage(startCpu);
  if (round >= WARMUP) {
    wall.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
  }
}
const lines = BATCH * BATCHES;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const best = (xs: number[]) => Math.min(...xs);
console.log(
  `\nworker part (aggregateBatch, bucket 10s): ${fmt(lines)} mesh_parse'd lines (${fmt(access)} access) in ` +
    `${BATCHES} batches; wall median ${fmt(lines / (median(wall) / 1000))} lines/s, per CPU-second median ` +
    `${fmt(lines / (median(cpu) / 1000))} (best ${fmt(lines / (best(cpu) / 1000))}) lines/s`,
);

// 3. Main part: a fresh engine per round gets the 25 aggregates (cloned, untimed: merging mutates).
const config = anomalyConfig.parse({});
const perBatch: number[] = [];
const perBatchCpu: number[] = [];
let closed = 0;
for (let round = 0; round < WARMUP + ROUNDS; round++) {
  const copies = structuredClone(aggregates);
  const engine = new AnomalyEngine(config);
  gc?.();
  const start = performance.now();
  const startCpu = process.cpuUsage();
  closed = 0;
  for (const a of copies) closed += engine.add(a).length;
  const used = process.cpuUsage(startCpu);
  if (round >= WARMUP) {
    perBatch.push(((performance.now() - start) * 1000) / BATCHES);
    perBatchCpu.push((used.user + used.system) / BATCHES);
  }
}
console.log(
  `main part (AnomalyEngine.add, merge + judge): ${BATCHES} batch aggregates, ${closed} buckets closed; ` +
    `wall median ${fmt(median(perBatch))} µs/batch, CPU median ${fmt(median(perBatchCpu))} µs/batch ` +
    `(${fmt(BATCH / (median(perBatchCpu) / 1e6))} lines/CPU-s at ${fmt(BATCH)} lines per batch)`,
);

// Merge alone: every batch's buckets into one open bucket per start (what BucketWindow.add does).
const mergeCpu: number[] = [];
for (let round = 0; round < WARMUP + ROUNDS; round++) {
  const copies = structuredClone(aggregates);
  const open = new Map<number, BucketAggregate>();
  gc?.();
  const startCpu = process.cpuUsage();
  for (const a of copies)
    for (const b of a.buckets) {
      const into = open.get(b.start) ?? emptyBucket(b.start);
      open.set(b.start, into);
      mergeBucket(into, b);
    }
  const used = process.cpuUsage(startCpu);
  if (round >= WARMUP) mergeCpu.push((used.user + used.system) / BATCHES);
}
console.log(
  `main part, merge only (mergeBucket): CPU median ${fmt(median(mergeCpu))} µs/batch ` +
    `(${fmt(BATCH / (median(mergeCpu) / 1e6))} lines/CPU-s); the rest of add() is judging closed buckets`,
);
