// rbac throughput, one thread: 50k demo sidecar lines (seed 1, 3 replicas, Istio's default TEXT
// format) grouped into one batch per pod as filelog reads them, parsed by mesh_parse once (not
// timed), then each round times only rbac over fresh copies of those batches. Lines/s per wall second
// and per CPU second of this process (the per-core figure), best and median of the measured rounds.
// Run: node --expose-gc bench/rbac.bench.ts   (Node 24). Results: bench/RESULTS.md.

import os from 'node:os';
import { createTraffic } from '../agent/demo/istio-traffic.ts';
import type { ResourceLogs } from '../agent/kit/record/record.ts';
import { rawRecord } from '../agent/kit/worker/raw-decoder.ts';
import { meshParseConfig } from '../processors/mesh_parse/config.ts';
import { createProcessor as createMeshParse } from '../processors/mesh_parse/worker.ts';
import { rbacConfig } from '../processors/rbac/config.ts';
import { createProcessor } from '../processors/rbac/worker.ts';

const LINES = 50_000;
const WARMUP = 3;
const ROUNDS = 10;

const traffic = createTraffic({ seed: 1, replicas: 3 });
const byPod = new Map<string, ResourceLogs>();
for (let i = 0; i < LINES; i++) {
  const t = traffic.next(1_760_000_000_000_000_000n + BigInt(i) * 200_000n);
  let batch = byPod.get(t.pod.uid);
  if (!batch) {
    const resource = {
      'k8s.namespace.name': t.pod.namespace,
      'k8s.pod.name': t.pod.name,
      'k8s.pod.uid': t.pod.uid,
    };
    batch = { resource, scope: { name: 'meshtail' }, records: [] };
    byPod.set(t.pod.uid, batch);
  }
  batch.records.push(rawRecord(t.line, 0n));
}
const parse = createMeshParse(meshParseConfig.parse({}));
const parsed = [...byPod.values()];
for (const b of parsed) parse(b);

const ROLES = `roles:
  sre: { description: every record }
  security: { description: denials }
  "team:reviews": { description: reviews team }
  "team:ratings": { description: ratings team }
  manager: { description: aggregates only, tenant: management }
`;
// Six rules over the attributes a bookinfo line has; the productpage rule gives managers aggregates.
const BOOKINFO = `${ROLES}rules:
  - { name: denials, match: { status: [401, 403] }, tenant: security, classification: confidential, audience: [security, sre] }
  - { name: health, match: { path: [/healthz, /ready*] }, classification: public }
  - { name: reviews-errors, match: { service: reviews, status: 5xx }, tenant: reviews, audience: ["team:reviews", sre] }
  - { name: ratings, match: { service: ratings }, tenant: ratings, audience: ["team:ratings", sre] }
  - { name: productpage, match: { service: productpage, path: /productpage* }, tenant: shop, classification: confidential, audience: [sre], aggregate_audience: AGG }
  - { name: inbound, match: { direction: inbound, source: "*" }, tenant: mesh }
default: { tenant: platform, classification: internal, audience: [sre] }
`;
// 32 rules no line matches (namespace, service, path globs, principal): every record reaches the default.
const NONE = `${ROLES}rules:
${Array.from({ length: 32 }, (_, i) => {
  const kinds = [
    `{ service: svc-${i} }`,
    `{ path: "/nothing-${i}/*" }`,
    `{ principal: "spiffe://other/ns/n${i}/*", status: 5xx }`,
    `{ namespace: ns-${i} }`,
  ];
  return `  - { name: r${i}, match: ${kinds[i % 4]}, tenant: t${i} }`;
}).join('\n')}
default: { tenant: platform, classification: internal, audience: [sre] }
`;

function measure(name: string, policy: string): void {
  const config = rbacConfig.parse({ policy_inline: policy });
  const process = createProcessor(config, { id: 'rbac', count: () => {}, emit: () => {} } as never);
  const times: number[] = [];
  const cpu: number[] = [];
  let aggregates = 0;
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    const batches = structuredClone(parsed);
    gc?.();
    const start = performance.now();
    const startCpu = globalThis.process.cpuUsage();
    for (const b of batches) process(b);
    const used = globalThis.process.cpuUsage(startCpu);
    if (round >= WARMUP) {
      times.push(performance.now() - start);
      cpu.push((used.user + used.system) / 1000);
    }
    aggregates = batches.reduce((n, b) => n + b.records.length, 0) - LINES;
  }
  const rate = (ms: number[], at: number) => LINES / ([...ms].sort((a, b) => a - b)[at]! / 1000);
  const mid = Math.floor(ROUNDS / 2);
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(11);
  console.log(
    `${name.padEnd(46)} wall best ${fmt(rate(times, 0))} median ${fmt(rate(times, mid))}   ` +
      `per CPU-second best ${fmt(rate(cpu, 0))} median ${fmt(rate(cpu, mid))} lines/s   ` +
      `(${aggregates} aggregate records per round)`,
  );
}

const cpus = os.cpus();
console.log(
  `node ${process.version}, ${cpus.length}x ${cpus[0]?.model}, ${LINES} lines in ${parsed.length} pod batches, ` +
    `${ROUNDS} rounds after ${WARMUP} warm-up`,
);
measure('bookinfo policy, 6 rules, managers aggregates', BOOKINFO.replace('AGG', '[manager]'));
measure('bookinfo policy, 6 rules, no role view', BOOKINFO.replace('AGG', '[]'));
measure('32 rules none matches (all to the default)', NONE);
