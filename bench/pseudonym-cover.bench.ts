// The pseudonym cover's cost on the encrypt hot path: the demo's Istio traffic parsed by mesh_parse
// (real attribute sets), each record's client.address covered in the rest of the record and in
// its body (left unsealed here, the worst case), as the encrypt worker does after sealing.
// CPU µs per record, median of the measured rounds. Run: node bench/pseudonym-cover.bench.ts (Node 24)
import os from 'node:os';
import { createTraffic } from '../agent/demo/istio-traffic.ts';
import type { LogRecord, ResourceLogs } from '../agent/kit/record/record.ts';
import { rawRecord } from '../agent/kit/worker/raw-decoder.ts';
import { coverPseudonyms } from '../processors/encrypt/pseudonym-cover.ts';
import { meshParseConfig } from '../processors/mesh_parse/config.ts';
import { createProcessor as createMeshParse } from '../processors/mesh_parse/worker.ts';

const LINES = 20_000;
const WARMUP = 3;
const ROUNDS = 10;
const PS = 'ps:v1:k:0123456789abcdef0123456789abcdef';
const skip = new Set(['client.address', 'user.id', 'meshtail.encrypted', 'meshtail.encrypted.fields']);

const traffic = createTraffic({ seed: 1, replicas: 3 });
const parse = createMeshParse(meshParseConfig.parse({}), {
  id: 'mesh_parse',
  count: () => {},
  emit: () => {},
});
const batch: ResourceLogs = {
  resource: {},
  scope: { name: 'meshtail' },
  records: Array.from({ length: LINES }, (_, i) =>
    rawRecord(traffic.next(1_760_000_000_000_000_000n + BigInt(i) * 200_000n).line, 0n),
  ),
};
parse(batch);

function round(records: LogRecord[]): number {
  const start = process.cpuUsage();
  for (const r of records) {
    const ip = r.attributes['client.address'];
    if (typeof ip !== 'string') continue;
    r.attributes['client.address'] = PS;
    coverPseudonyms(r, [{ value: ip, pseudonym: PS }], skip);
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / records.length;
}

const results: number[] = [];
for (let i = 0; i < WARMUP + ROUNDS; i++) {
  const us = round(structuredClone(batch.records));
  if (i >= WARMUP) results.push(us);
}
results.sort((a, b) => a - b);
const attrs = batch.records.reduce((n, r) => n + Object.keys(r.attributes).length, 0) / LINES;
console.log(
  `node ${process.version}, ${os.cpus().length}x ${os.cpus()[0]?.model}, ${LINES} records x ${ROUNDS}`,
);
console.log(
  `demo Istio traffic (${attrs.toFixed(1)} attributes per record): ${results[ROUNDS >> 1]!.toFixed(2)} µs CPU per record (median; min ${results[0]!.toFixed(2)})`,
);
