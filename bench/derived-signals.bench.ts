// spans and red_metrics throughput, one thread, on records mesh_parse already parsed (parsing and the
// per-round structuredClone of the batch are outside the timing): the demo's seeded bookinfo traffic
// in the audit format (traceparent and x-request-id on every hop), in batches of one pod's lines as
// filelog delivers them. Lines/s per wall second and per CPU second (the per-core figure), best and
// median of the measured rounds after warm-up.
// Run: node --expose-gc bench/derived-signals.bench.ts   (Node 24)
import { createTraffic } from '../agent/demo/istio-traffic.ts';
import type { ResourceLogs } from '../agent/kit/record/record.ts';
import type { ProcessLogs } from '../agent/kit/worker/processor.ts';
import { rawRecord } from '../agent/kit/worker/raw-decoder.ts';
import { meshParseConfig } from '../processors/mesh_parse/config.ts';
import { createProcessor as meshParse } from '../processors/mesh_parse/worker.ts';
import { redMetricsConfig } from '../processors/red_metrics/config.ts';
import { createProcessor as redMetrics } from '../processors/red_metrics/worker.ts';
import { spansConfig } from '../processors/spans/config.ts';
import { createProcessor as spans } from '../processors/spans/worker.ts';
import { MESH_PARSE } from '../test/support/demo-records.ts';
import { testContext } from '../test/support/processor-context.ts';

const LINES = 20_000;
const WARMUP = 3;
const ROUNDS = 10;

const traffic = createTraffic({ seed: 1, replicas: 3, format: 'istio_audit' });
const byPod = new Map<string, ResourceLogs>();
for (let i = 0; i < LINES; i++) {
  const l = traffic.next(1_760_000_000_000_000_000n + BigInt(i) * 200_000n);
  let b = byPod.get(l.pod.name);
  if (!b) {
    b = {
      resource: { 'k8s.pod.name': l.pod.name, 'k8s.namespace.name': l.pod.namespace },
      scope: { name: 'meshtail' },
      records: [],
    };
    byPod.set(l.pod.name, b);
  }
  b.records.push(rawRecord(l.line, 0n));
}
const parse = meshParse(meshParseConfig.parse(MESH_PARSE), testContext('mesh_parse'));
const batches = [...byPod.values()];
for (const b of batches) parse(b);

function measure(name: string, process: ProcessLogs): void {
  const wall: number[] = [];
  const cpu: number[] = [];
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    const input = structuredClone(batches);
    gc?.();
    const start = performance.now();
    const startCpu = globalThis.process.cpuUsage();
    for (const b of input) process(b);
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
    `${name.padEnd(40)} wall best ${fmt(rate(wall, 0))} median ${fmt(rate(wall, mid))}   ` +
      `per CPU-second best ${fmt(rate(cpu, 0))} median ${fmt(rate(cpu, mid))} lines/s`,
  );
}

const ctx = testContext('bench');
measure('spans {}', spans(spansConfig.parse({}), ctx));
measure(
  'spans, 4 routes',
  spans(
    spansConfig.parse({ routes: ['/details/{id}', '/reviews/{id}', '/ratings/{id}', '/productpage'] }),
    ctx,
  ),
);
measure('red_metrics cumulative (worker part)', redMetrics(redMetricsConfig.parse({}), ctx));
measure('red_metrics delta, explicit', redMetrics(redMetricsConfig.parse({ temporality: 'delta' }), ctx));
measure(
  'red_metrics delta, exponential',
  redMetrics(redMetricsConfig.parse({ temporality: 'delta', histogram: { type: 'exponential' } }), ctx),
);
