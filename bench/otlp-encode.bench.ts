// OTLP log encoding: meshtail's encoder vs @opentelemetry/otlp-transformer, protobuf and JSON,
// on the same 10k Istio-like access-log records with 15 attributes each.
// Run: node bench/otlp-encode.bench.ts   (Node 24; prints records/s, best of the rounds)
import os from 'node:os';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { encodeLogs } from '../agent/kit/otlp/encoder.ts';
import type { LogRecord, ResourceLogs } from '../agent/kit/record/record.ts';

const RECORDS = 10_000;
const ROUNDS = 15;

function makeBatch(): ResourceLogs {
  const records: LogRecord[] = [];
  const t0 = 1_760_000_000_000_000_000n;
  for (let i = 0; i < RECORDS; i++) {
    const path = `/api/v1/orders/${i % 997}/items`;
    const status = i % 13 === 0 ? 503 : 200;
    records.push({
      timeUnixNano: t0 + BigInt(i) * 1_000_123n,
      observedTimeUnixNano: t0 + BigInt(i) * 1_000_123n + 5_000_000n,
      severityNumber: status >= 500 ? 17 : 9,
      severityText: status >= 500 ? 'ERROR' : 'INFO',
      body: `[2025-10-09T08:53:20.${String(i % 1000).padStart(3, '0')}Z] "GET ${path}?page=${i % 7} HTTP/1.1" ${status} - via_upstream - "-" 0 ${(i * 37) % 9000} ${i % 250} ${i % 240} "10.4.${i % 250}.7" "Mozilla/5.0 (X11; Linux x86_64) curl/8.5.0" "6f1c2e4a-${i.toString(16).padStart(8, '0')}-4b1e-9a0f-2c7d8e9f1a2b" "orders.shop.svc.cluster.local:8080" "10.4.${i % 250}.19:8080" inbound|8080|| 127.0.0.6:45817 10.4.2.19:8080 10.4.1.7:51234 outbound_.8080_._.orders.shop.svc.cluster.local default`,
      attributes: {
        'http.request.method': 'GET',
        'url.path': path,
        'url.query': `page=${i % 7}`,
        'http.response.status_code': status,
        'network.protocol.name': 'http',
        'network.protocol.version': '1.1',
        'http.response.body.size': (i * 37) % 9000,
        'envoy.duration_ms': i % 250,
        'server.address': 'orders.shop.svc.cluster.local:8080',
        'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) curl/8.5.0',
        'client.address': `10.4.${i % 250}.7`,
        'envoy.response_flags': status >= 500 ? ['UF', 'URX'] : [],
        'mesh.direction': 'inbound',
        'mesh.source.workload': 'frontend-v2',
        'log.file.path': '/var/log/pods/shop_orders-7d9f8b6c5-x2x9k_0b7e/istio-proxy/0.log',
      },
      traceId: Uint8Array.from({ length: 16 }, (_, k) => (i * 31 + k) & 0xff),
      spanId: Uint8Array.from({ length: 8 }, (_, k) => (i * 17 + k) & 0xff),
      flags: 1,
    });
  }
  const resource = {
    'k8s.namespace.name': 'shop',
    'k8s.pod.name': 'orders-7d9f8b6c5-x2x9k',
    'k8s.container.name': 'istio-proxy',
    'service.name': 'orders',
  };
  return { resource, scope: { name: 'meshtail', version: '0.1.0' }, records };
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

function hrTime(ns: bigint): [number, number] {
  return [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
}

/** The same records as SDK ReadableLogRecord objects (built once, outside the timed loop). */
function toSdk(batch: ResourceLogs): ReadableLogRecord[] {
  const resource = resourceFromAttributes(batch.resource as Record<string, string>);
  const scope = { name: batch.scope.name, version: batch.scope.version };
  return batch.records.map((r) => ({
    hrTime: hrTime(r.timeUnixNano),
    hrTimeObserved: hrTime(r.observedTimeUnixNano),
    spanContext: { traceId: hex(r.traceId!), spanId: hex(r.spanId!), traceFlags: r.flags ?? 0 },
    severityNumber: r.severityNumber,
    severityText: r.severityText,
    body: r.body as string,
    resource,
    instrumentationScope: scope,
    attributes: r.attributes as ReadableLogRecord['attributes'],
    droppedAttributesCount: 0,
  }));
}

function measure(name: string, fn: () => Uint8Array | undefined): number {
  let best = Number.POSITIVE_INFINITY;
  let bytes = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    bytes = fn()?.length ?? 0;
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (round >= 3 && ms < best) best = ms;
  }
  const rate = Math.round(RECORDS / (best / 1000));
  console.log(
    `${name.padEnd(34)} ${rate.toLocaleString('en-US').padStart(11)} records/s  (${best.toFixed(1)} ms, ${bytes} B)`,
  );
  return rate;
}

const batch = makeBatch();
const sdk = toSdk(batch);
console.log(
  `node ${process.version}, ${os.cpus().length}x ${os.cpus()[0]?.model}, ${RECORDS} records, best of ${ROUNDS - 3}`,
);
const ours = measure('meshtail proto', () => encodeLogs([batch], 'proto'));
const theirs = measure('otlp-transformer ProtobufLogs', () => ProtobufLogsSerializer.serializeRequest(sdk));
const oursJson = measure('meshtail json', () => encodeLogs([batch], 'json'));
const theirsJson = measure('otlp-transformer JsonLogs', () => JsonLogsSerializer.serializeRequest(sdk));
console.log(`proto: ${(ours / theirs).toFixed(2)}x, json: ${(oursJson / theirsJson).toFixed(2)}x`);
