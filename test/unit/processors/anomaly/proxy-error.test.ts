// The proxies' own exceptions: WARN+ operational lines, masked and mined per workload. Message shapes
// are the proxies' own (sources):
// - Envoy: "{} gRPC config stream closed: {}, {}" (envoyproxy/envoy,
//   source/extensions/config_subscription/grpc/grpc_stream.h, CloseLogMessage); istiod closes the
//   stream every 30 minutes, so status 13 once per pod and half hour is routine.
// - Istio pilot-agent: "Envoy proxy is NOT ready: %s" (istio/istio, pilot/cmd/pilot-agent/status).
// - Istio SDS: "failed to warm certificate: %v" (istio/istio, security/pkg/server/sds/server.go).
// - Linkerd: "linkerd_reconnect: Failed to connect error=..." (linkerd/linkerd2-proxy, linkerd/reconnect).
import { describe, expect, it } from 'vitest';
import type { LogRecord, ResourceLogs } from '../../../../agent/kit/record/record.ts';
import type { AnomalyEvent } from '../../../../processors/anomaly/anomaly-event.ts';
import { toLogRecord } from '../../../../processors/anomaly/anomaly-event.ts';
import { AnomalyEngine } from '../../../../processors/anomaly/engine.ts';
import { maskMessage } from '../../../../processors/anomaly/proxy-message.ts';
import { aggregateBatch } from '../../../../processors/anomaly/worker.ts';
import { suiteConfig } from '../../../support/anomaly-suite.ts';

const MIN = 60_000;
const START = Date.UTC(2026, 10, 2, 8, 0, 0);
const WORKLOADS = ['reviews', 'ratings', 'productpage'];
const ROUTINE_XDS = 'StreamAggregatedResources gRPC config stream closed: 13, ';
const NOT_READY = 'Envoy proxy is NOT ready: config not received from XDS server (is Istiod running?)';
const LINKERD_TIMEOUT = 'linkerd_reconnect: Failed to connect error=connect timed out after 1s';
const CERT =
  'failed to warm certificate: failed to generate workload certificate: create certificate: rpc error: ' +
  'code = Unavailable desc = connection error: desc = "transport: Error while dialing dial tcp 10.109.4.175:15012: i/o timeout"';
const XDS_DOWN =
  'StreamAggregatedResources gRPC config stream closed: 14, connection error: desc = "transport: Error while dialing: dial tcp 10.96.12.7:15012: connect: connection refused"';

type Line = {
  workload: string;
  pod: string;
  level: 'info' | 'warn' | 'error';
  message: string;
  scope: string;
};

function proxyRecord(ms: number, l: Line): LogRecord {
  const ns = BigInt(ms) * 1_000_000n;
  const sev = { info: [9, 'INFO'], warn: [13, 'WARN'], error: [17, 'ERROR'] }[l.level] as [number, string];
  return {
    timeUnixNano: ns,
    observedTimeUnixNano: ns,
    severityNumber: sev[0],
    severityText: sev[1],
    body: l.message,
    attributes: {
      'meshtail.log.kind': 'proxy',
      'meshtail.log.scope': l.scope,
      'meshtail.log.message': l.message,
    },
  };
}

/** Three hours, one batch per pod and minute (a file per pod), routine lines plus `extra`. */
function run(extra: (minute: number, workload: string, pod: string) => Line[]): AnomalyEvent[] {
  const config = suiteConfig({ detectors: ['proxy_error'] });
  const engine = new AnomalyEngine(config);
  const events: AnomalyEvent[] = [];
  for (let m = 0; m < 180; m++) {
    for (const workload of WORKLOADS) {
      for (const pod of [`${workload}-v1-7d9c-a`, `${workload}-v1-7d9c-b`]) {
        const lines: Line[] = [
          {
            workload,
            pod,
            level: 'info',
            message: `Envoy proxy is ready after ${m} checks`,
            scope: 'default',
          },
        ];
        if (m % 30 === 3)
          lines.push({ workload, pod, level: 'warn', message: ROUTINE_XDS, scope: 'envoy config' });
        if (m === 1) lines.push({ workload, pod, level: 'warn', message: NOT_READY, scope: 'default' });
        if (workload === 'productpage' && m % 20 === 7)
          lines.push({ workload, pod, level: 'warn', message: LINKERD_TIMEOUT, scope: 'linkerd' });
        lines.push(...extra(m, workload, pod));
        const records = lines.map((l, i) => proxyRecord(START + m * MIN + i * 10, l));
        const batch: ResourceLogs = {
          resource: { 'service.name': workload, 'k8s.pod.name': pod, 'k8s.namespace.name': 'shop' },
          scope: { name: 't' },
          records,
        };
        for (const j of engine.add(aggregateBatch(batch, config.bucket, config.allowed_lateness))) {
          events.push(...j.events);
        }
      }
    }
  }
  return events;
}

describe('proxy_error', () => {
  it('routine operational lines (periodic xDS reconnects, startup readiness, sparse timeouts, info) raise nothing', () => {
    expect(run(() => [])).toEqual([]);
  });

  it('a new exception signature and a storm of a known one fire, with template, pods and a masked sample', () => {
    const events = run((m, workload, pod) => {
      const out: Line[] = [];
      if (workload === 'reviews' && m >= 130 && m < 134)
        out.push({ workload, pod, level: 'warn', message: CERT, scope: 'sds' });
      if (workload === 'ratings' && m >= 140 && m < 143)
        out.push({ workload, pod, level: 'warn', message: XDS_DOWN, scope: 'envoy config' });
      if (workload === 'productpage' && m >= 150 && m < 156)
        for (let k = 0; k < 30; k++)
          out.push({ workload, pod, level: 'warn', message: LINKERD_TIMEOUT, scope: 'linkerd' });
      return out;
    });
    const firing = events.filter((e) => e.state === 'firing');
    expect(firing.map((e) => e.key.slice(0, e.key.indexOf('#')))).toEqual([
      'reviews',
      'ratings',
      'productpage',
    ]);
    const [cert, xds, storm] = firing as [AnomalyEvent, AnomalyEvent, AnomalyEvent];
    expect(cert.since).toBe(START + 130 * MIN);
    expect(cert.evidence?.template).toContain('failed to warm certificate');
    expect(cert.evidence?.pods).toEqual(['reviews-v1-7d9c-a', 'reviews-v1-7d9c-b']);
    expect(cert.evidence?.sample).toBe(maskMessage(CERT));
    expect(xds.evidence?.template).toContain('gRPC config stream closed');
    expect(storm.since).toBeGreaterThanOrEqual(START + 150 * MIN);
    expect(storm.observed).toBeGreaterThanOrEqual(60);
    const record = toLogRecord(cert, 0);
    expect(record.attributes['meshtail.anomaly.kind']).toBe('proxy_error');
    expect(record.attributes['mesh.destination.service']).toBe('reviews');
    expect(record.attributes['k8s.namespace.name']).toBe('shop');
    expect(
      JSON.stringify(record.attributes, (_k, v) => (typeof v === 'bigint' ? String(v) : v)),
    ).not.toContain('10.109.4.175');
    // Each resolves once its lines stop.
    expect(events.filter((e) => e.state === 'resolved')).toHaveLength(3);
  });
});
