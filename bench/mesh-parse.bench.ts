// mesh_parse throughput, one thread: 50k demo sidecar lines (the demo's seeded bookinfo traffic,
// Istio's default TEXT format, with its Envoy operational and truncated lines) through
// createProcessor, then the same entries as Istio's default JSON format. Lines/s per core, best and
// median of the measured rounds (the first rounds warm the JIT and are not counted), per wall second
// and per CPU second of this process (the per-core figure that holds on a loaded machine).
// Run: node --expose-gc bench/mesh-parse.bench.ts   (Node 24; with --expose-gc the heap is collected
// between rounds, so a round pays for its own garbage, not the previous round's)

import os from 'node:os';
import { createTraffic } from '../agent/demo/istio-traffic.ts';
import type { LogRecord, ResourceLogs } from '../agent/kit/record/record.ts';
import { rawRecord } from '../agent/kit/worker/raw-decoder.ts';
import { BUILTIN_FORMATS } from '../processors/mesh_parse/builtin-formats.ts';
import { meshParseConfig } from '../processors/mesh_parse/config.ts';
import { compileTextFormat } from '../processors/mesh_parse/envoy-format.ts';
import { scanTextLine } from '../processors/mesh_parse/text-scan.ts';
import { createProcessor } from '../processors/mesh_parse/worker.ts';

const LINES = 50_000;
const WARMUP = 3;
const ROUNDS = 10;

const traffic = createTraffic({ seed: 1, replicas: 3 });
const text: string[] = [];
for (let i = 0; i < LINES; i++)
  text.push(traffic.next(1_760_000_000_000_000_000n + BigInt(i) * 200_000n).line);

// The same entries in Istio's default JSON format (keys of EnvoyJSONLogFormatIstio), typed values.
const JSON_KEYS: Record<string, string> = {
  start_time: 'start_time',
  method: 'method',
  path: 'path',
  protocol: 'protocol',
  code: 'response_code',
  flags: 'response_flags',
  details: 'response_code_details',
  termination: 'connection_termination_details',
  transport_failure: 'upstream_transport_failure_reason',
  bytes_received: 'bytes_received',
  bytes_sent: 'bytes_sent',
  duration: 'duration',
  upstream_service_time: 'upstream_service_time',
  xff: 'x_forwarded_for',
  user_agent: 'user_agent',
  request_id: 'request_id',
  authority: 'authority',
  upstream_host: 'upstream_host',
  upstream_cluster: 'upstream_cluster',
  upstream_local: 'upstream_local_address',
  downstream_local: 'downstream_local_address',
  downstream_remote: 'downstream_remote_address',
  sni: 'requested_server_name',
  route: 'route_name',
};
const NUMBERS = new Set(['code', 'bytes_received', 'bytes_sent', 'duration', 'upstream_service_time']);
const istio = compileTextFormat('istio', BUILTIN_FORMATS.istio);
const json = text.map((line) => {
  const m = scanTextLine(istio, line);
  if (!m) return line;
  const out: Record<string, unknown> = {};
  for (const name of Object.values(JSON_KEYS)) out[name] = null;
  for (const [key, v] of Object.entries(m.fields)) out[JSON_KEYS[key]!] = NUMBERS.has(key) ? Number(v) : v;
  return JSON.stringify(out);
});

const resource = { 'k8s.pod.name': 'reviews-v2-5b4b7c8d9f-x2x9k', 'k8s.namespace.name': 'default' };
const batchOf = (lines: string[]): ResourceLogs => ({
  resource,
  scope: { name: 'meshtail' },
  records: lines.map((l): LogRecord => rawRecord(l, 0n)),
});

function measure(name: string, lines: string[], config: unknown): number {
  const process = createProcessor(meshParseConfig.parse(config));
  const times: number[] = [];
  const cpu: number[] = [];
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    const batch = batchOf(lines);
    gc?.();
    const start = performance.now();
    const startCpu = globalThis.process.cpuUsage();
    process(batch);
    const used = globalThis.process.cpuUsage(startCpu);
    if (round >= WARMUP) {
      times.push(performance.now() - start);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  const rate = (ms: number[], at: number) => LINES / ([...ms].sort((a, b) => a - b)[at]! / 1000);
  const mid = Math.floor(ROUNDS / 2);
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(9);
  console.log(
    `${name.padEnd(42)} wall best ${fmt(rate(times, 0))} median ${fmt(rate(times, mid))}   ` +
      `per CPU-second best ${fmt(rate(cpu, 0))} median ${fmt(rate(cpu, mid))} lines/s`,
  );
  return rate(cpu, mid);
}

const cpus = os.cpus();
console.log(
  `node ${process.version}, ${cpus.length}x ${cpus[0]?.model}, ${LINES} lines, ${ROUNDS} rounds after ${WARMUP} warm-up`,
);
measure('Istio TEXT (default config)', text, {});
measure('Istio JSON (default config)', json, {});
const labels = {
  required: ['mesh.source.workload', 'mesh.destination.service', 'user.id'],
  user_id: { from: [{ header: 'x-user-id' }, { jwt_claims_header: 'x-jwt-payload', claim: 'sub' }] },
};
measure('Istio TEXT (required labels + user_id)', text, labels);
measure('Istio TEXT (only the istio format enabled)', text, { builtin_formats: ['istio'] });
