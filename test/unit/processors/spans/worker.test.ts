// The spans processor: HTTP access records to server/client spans with semconv attributes, status
// from code and flags, and ids that put both hops of a request in one trace as parent and child.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LogRecord, ResourceLogs, Span } from '../../../../agent/kit/record/record.ts';
import { spansConfig } from '../../../../processors/spans/config.ts';
import { spansFactory } from '../../../../processors/spans/factory.ts';
import { createProcessor } from '../../../../processors/spans/worker.ts';
import { demoBatches } from '../../../support/demo-records.ts';
import { testContext } from '../../../support/processor-context.ts';

const hex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('hex') : undefined);
const T0 = 1_760_000_000_000_000_000n;

function record(attrs: Record<string, unknown>, extra: Partial<LogRecord> = {}): LogRecord {
  return {
    timeUnixNano: T0,
    observedTimeUnixNano: T0,
    severityNumber: 9,
    severityText: 'INFO',
    body: 'line',
    attributes: {
      'meshtail.log.kind': 'access',
      'http.request.method': 'GET',
      'url.path': '/reviews/0',
      'http.response.status_code': 200,
      'envoy.duration_ms': 12,
      'http.request.header.x-request-id': 'rid-1',
      'mesh.destination.service': 'reviews',
      ...attrs,
    } as LogRecord['attributes'],
    ...extra,
  };
}

function run(records: LogRecord[], config: Record<string, unknown> = {}, resource = {}): ResourceLogs {
  const batch: ResourceLogs = { resource, scope: { name: 't' }, records };
  createProcessor(spansConfig.parse(config), testContext('spans'))(batch);
  return batch;
}

describe('spans processor', () => {
  it('declares that it derives traces', () => {
    expect(spansFactory.derives).toEqual(['traces']);
    expect(spansConfig.parse({})).toEqual({
      sampling_ratio: 1,
      directions: ['inbound', 'outbound'],
      routes: [],
    });
  });

  it('makes a server span of an inbound record with semconv attributes and the duration', () => {
    const b = run(
      [
        record({
          'mesh.direction': 'inbound',
          'mesh.destination.workload': 'reviews-v2',
          'network.protocol.version': '1.1',
          'server.address': 'reviews',
        }),
      ],
      {},
      { 'k8s.pod.name': 'reviews-v2-abc' },
    );
    const s = b.spans![0]!;
    expect(s.kind).toBe(2);
    expect(s.name).toBe('GET');
    expect(s.startTimeUnixNano).toBe(T0);
    expect(s.endTimeUnixNano).toBe(T0 + 12_000_000n);
    expect(s.status).toEqual({ code: 0 });
    expect(s.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.path': '/reviews/0',
      'http.response.status_code': 200,
      'server.address': 'reviews',
      'network.protocol.version': '1.1',
      'mesh.direction': 'inbound',
      'mesh.destination.service': 'reviews',
    });
    expect(b.resource['service.name']).toBe('reviews-v2');
  });

  it('keeps a resource service.name and names spans by route when a template matches', () => {
    const b = run(
      [record({ 'mesh.direction': 'outbound' })],
      { routes: ['/ratings/{id}', '/reviews/{id}'] },
      {
        'service.name': 'productpage',
      },
    );
    expect(b.spans![0]!.kind).toBe(3);
    expect(b.spans![0]!.name).toBe('GET /reviews/{id}');
    expect(b.spans![0]!.attributes['http.route']).toBe('/reviews/{id}');
    expect(b.resource['service.name']).toBe('productpage');
  });

  it('marks 5xx and upstream failure flags as errors, not 4xx', () => {
    const b = run([
      record({ 'http.response.status_code': 503, 'envoy.response_flags': ['UF'] }),
      record({ 'http.response.status_code': 0, 'envoy.response_flags': ['UT'] }),
      record({ 'http.response.status_code': 404, 'envoy.response_flags': ['NR'] }),
      record({ 'http.response.status_code': 200 }),
    ]);
    expect(b.spans!.map((s) => s.status.code)).toEqual([2, 2, 0, 0]);
    expect(b.spans![0]!.attributes['error.type']).toBe('503');
    expect(b.spans![1]!.attributes['error.type']).toBe('UT');
  });

  it('derives the trace id from x-request-id and links the server span to the caller client span', () => {
    const out = run([record({ 'mesh.direction': 'outbound' })]).spans![0]!;
    const inn = run([record({ 'mesh.direction': 'inbound' })]).spans![0]!;
    const expected = createHash('sha256').update('meshtail.trace\nrid-1').digest().subarray(0, 16);
    expect(hex(out.traceId)).toBe(expected.toString('hex'));
    expect(hex(inn.traceId)).toBe(hex(out.traceId));
    expect(out.parentSpanId).toBeUndefined();
    expect(hex(inn.parentSpanId)).toBe(hex(out.spanId));
    expect(hex(inn.spanId)).not.toBe(hex(out.spanId));
    // Another hop of the same request (another destination): same trace, other spans.
    const other = run([record({ 'mesh.direction': 'outbound', 'mesh.destination.service': 'ratings' })])
      .spans![0]!;
    expect(hex(other.traceId)).toBe(hex(out.traceId));
    expect(hex(other.spanId)).not.toBe(hex(out.spanId));
  });

  it('takes the trace id and the client parent from a propagated context', () => {
    const traceId = Buffer.from('4bf92f3577b34da6a3ce929d0e0e4736', 'hex');
    const spanId = Buffer.from('00f067aa0ba902b7', 'hex');
    const out = run([record({ 'mesh.direction': 'outbound' }, { traceId, spanId, flags: 1 })]).spans![0]!;
    const inn = run([record({ 'mesh.direction': 'inbound' }, { traceId, spanId: Buffer.alloc(8, 7) })])
      .spans![0]!;
    expect(hex(out.traceId)).toBe(traceId.toString('hex'));
    expect(hex(out.parentSpanId)).toBe('00f067aa0ba902b7');
    expect(out.flags).toBe(1);
    expect(hex(inn.traceId)).toBe(traceId.toString('hex'));
    expect(hex(inn.parentSpanId)).toBe(hex(out.spanId));
  });

  it('skips non-HTTP records and unwanted directions, and samples whole traces', () => {
    const b = run(
      [
        record({ 'mesh.direction': 'inbound' }),
        record({ 'mesh.direction': 'outbound' }),
        record({ 'http.request.method': undefined, 'network.transport': 'tcp' }),
      ],
      { directions: ['inbound'] },
    );
    expect(b.spans!.map((s) => s.kind)).toEqual([2]);
    const many = Array.from({ length: 2000 }, (_, i) => [
      record({ 'mesh.direction': 'outbound', 'http.request.header.x-request-id': `r${i}` }),
      record({ 'mesh.direction': 'inbound', 'http.request.header.x-request-id': `r${i}` }),
    ]).flat();
    const kept = run(many, { sampling_ratio: 0.25 }).spans!;
    expect(kept.length % 2).toBe(0);
    expect(kept.length / many.length).toBeGreaterThan(0.2);
    expect(kept.length / many.length).toBeLessThan(0.3);
    const traces = new Map<string, number>();
    for (const s of kept) traces.set(hex(s.traceId)!, (traces.get(hex(s.traceId)!) ?? 0) + 1);
    expect([...traces.values()].every((n) => n === 2)).toBe(true);
    expect(run(many, { sampling_ratio: 0 }).spans).toBeUndefined();
  });

  it('puts every hop of a demo request in one trace, each server span under its client span', () => {
    for (const format of ['istio', 'istio_audit'] as const) {
      const spans: Span[] = [];
      for (const b of demoBatches(400, 7, format)) {
        createProcessor(spansConfig.parse({}), testContext('spans'))(b);
        spans.push(...(b.spans ?? []));
      }
      expect(spans.length).toBeGreaterThan(300);
      const byId = new Map(spans.map((s) => [hex(s.spanId), s]));
      expect(byId.size).toBe(spans.length);
      const servers = spans.filter((s) => s.kind === 2);
      expect(servers.length).toBeGreaterThan(100);
      let linked = 0;
      for (const s of servers) {
        const parent = byId.get(hex(s.parentSpanId));
        if (!parent) continue;
        linked++;
        expect(parent.kind).toBe(3);
        expect(hex(parent.traceId)).toBe(hex(s.traceId));
        expect(parent.attributes['mesh.destination.service']).toBe(s.attributes['mesh.destination.service']);
      }
      // Every inbound hop's caller logged its outbound hop (the first request may start mid-way).
      expect(linked).toBeGreaterThan(servers.length - 5);
      // One user request (one x-request-id): gateway → productpage → details/reviews(→ ratings).
      const rid = servers[servers.length - 1]!.attributes['http.request.header.x-request-id'];
      const trace = spans.filter((s) => s.attributes['http.request.header.x-request-id'] === rid);
      expect(new Set(trace.map((s) => hex(s.traceId))).size).toBe(1);
      expect(trace.length).toBeGreaterThanOrEqual(4);
    }
  });
});
