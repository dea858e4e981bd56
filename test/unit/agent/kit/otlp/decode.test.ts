// Decodes meshtail's protobuf with the official opentelemetry-proto definitions and checks that
// every value comes back as it went in.
import { describe, expect, it } from 'vitest';
import { encodeLogs, encodeMetrics, encodeTraces } from '../../../../../agent/kit/otlp/encoder.ts';
import type { LogRecord } from '../../../../../agent/kit/record/record.ts';
import { attributesToModel, decode, expectedAttributes, fromBase64, toModel } from './proto-root.ts';
import { RESOURCE, sampleLogs, sampleMetrics, sampleSpans } from './samples.ts';

const b64 = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('base64') : undefined);

describe('OTLP protobuf decoded with the official definitions', () => {
  it('logs: resource, scope, timestamps, severity, body, attributes, ids, flags, event name', () => {
    const batches = sampleLogs();
    const req = decode('logs', encodeLogs(batches, 'proto'));
    expect(req.resourceLogs).toHaveLength(2);
    const rl = req.resourceLogs[0];
    expect(attributesToModel(rl.resource.attributes)).toEqual(expectedAttributes(RESOURCE));
    expect(rl.scopeLogs[0].scope).toEqual({ name: 'meshtail', version: '0.1.0' });
    const input = batches[0]!.records;
    rl.scopeLogs[0].logRecords.forEach((got: Record<string, unknown>, i: number) => {
      const want = input[i] as LogRecord;
      expect(got.timeUnixNano ?? '0').toBe(want.timeUnixNano.toString());
      expect(got.observedTimeUnixNano).toBe(want.observedTimeUnixNano.toString());
      expect(got.severityNumber ?? 0).toBe(want.severityNumber);
      expect(got.severityText ?? '').toBe(want.severityText);
      expect(toModel(got.body)).toEqual(expectedBody(want));
      expect(attributesToModel(got.attributes as never)).toEqual(expectedAttributes(want.attributes));
      expect(got.traceId).toBe(b64(want.traceId));
      expect(got.spanId).toBe(b64(want.spanId));
      expect(got.flags ?? 0).toBe(want.flags ?? 0);
      expect(got.eventName).toBe(want.eventName);
    });
    expect(req.resourceLogs[1].scopeLogs[0].scope).toEqual({ name: 'meshtail' });
  });

  it('bigint attributes become int_value, negatives included; 1e20 stays a double', () => {
    const [batch] = sampleLogs();
    const record = {
      ...batch!.records[0]!,
      attributes: { big: 2n ** 62n + 1n, neg: -(2n ** 40n), min: -(2n ** 63n), small: -1 },
    };
    const req = decode('logs', encodeLogs([{ ...batch!, records: [record] }], 'proto'));
    const attrs = req.resourceLogs[0].scopeLogs[0].logRecords[0].attributes;
    expect(attributesToModel(attrs)).toEqual({
      big: 2n ** 62n + 1n,
      neg: -(2n ** 40n),
      min: -(2n ** 63n),
      small: -1n,
    });
    const all = decode('logs', encodeLogs(sampleLogs(), 'proto')).resourceLogs[0].scopeLogs[0].logRecords[0];
    expect(all.attributes.find((kv: { key: string }) => kv.key === 'beyondInt64').value).toEqual({
      doubleValue: 1e20,
    });
  });

  it('traces: ids, parent, state, flags, kind, times, attributes, events, links, status', () => {
    const batches = sampleSpans(true);
    const want = batches[0]!.spans[0]!;
    const span = decode('traces', encodeTraces(batches, 'proto')).resourceSpans[0].scopeSpans[0].spans[0];
    expect(fromBase64(span.traceId)).toEqual(want.traceId);
    expect(fromBase64(span.spanId)).toEqual(want.spanId);
    expect(fromBase64(span.parentSpanId)).toEqual(want.parentSpanId);
    expect(span.traceState).toBe(want.traceState);
    expect(span.flags).toBe(0x301);
    expect(span.kind).toBe(2);
    expect(span.name).toBe(want.name);
    expect(span.startTimeUnixNano).toBe(want.startTimeUnixNano.toString());
    expect(span.endTimeUnixNano).toBe(want.endTimeUnixNano.toString());
    expect(attributesToModel(span.attributes)).toEqual(expectedAttributes(want.attributes));
    expect(span.events).toEqual([
      {
        timeUnixNano: want.events[0]!.timeUnixNano.toString(),
        name: 'retry',
        attributes: [{ key: 'attempt', value: { intValue: '2' } }],
      },
    ]);
    expect(fromBase64(span.links[0].traceId)).toEqual(want.links[0]!.traceId);
    expect(span.links[0].traceState).toBe('k=v');
    expect(span.status).toEqual({ code: 2, message: 'upstream connect error' });
  });

  it('metrics: every data point kind with its values', () => {
    const m = decode('metrics', encodeMetrics(sampleMetrics(), 'proto')).resourceMetrics[0].scopeMetrics[0]
      .metrics;
    expect(m.map((x: { name: string }) => x.name)).toEqual([
      'requests',
      'inflight',
      'delta',
      'duration',
      'size',
    ]);
    expect(m[0].sum.aggregationTemporality).toBe(2);
    expect(m[0].sum.isMonotonic).toBe(true);
    expect(m[0].sum.dataPoints.map((p: { asInt: string }) => p.asInt)).toEqual(['1234', '-7']);
    expect(m[1].gauge.dataPoints.map((p: { asDouble: number }) => p.asDouble)).toEqual([0.5, 3]);
    expect(m[2].sum.aggregationTemporality).toBe(1);
    expect(m[2].sum.isMonotonic).toBeUndefined();
    const h = m[3].histogram.dataPoints[0];
    expect([h.count, h.sum, h.bucketCounts, h.explicitBounds, h.min, h.max]).toEqual([
      '6',
      123.5,
      ['1', '2', '3'],
      [10, 100],
      0.5,
      99,
    ]);
    expect(m[3].histogram.dataPoints[1].sum).toBeUndefined();
    const e = m[4].exponentialHistogram.dataPoints[0];
    expect([e.count, e.sum, e.scale, e.zeroCount, e.min, e.max]).toEqual(['5', 40, 3, '1', 0, 20]);
    expect(e.positive).toEqual({ offset: -2, bucketCounts: ['1', '300'] });
    expect(m[4].exponentialHistogram.dataPoints[1].negative).toEqual({ bucketCounts: ['2'] });
    expect(m[4].exponentialHistogram.dataPoints[1].positive).toEqual({ offset: 5 });
    expect(attributesToModel(h.attributes)).toEqual({ 'http.response.status_code': 200n });
  });

  it('a reused buffer does not leak bytes between calls, and grows past its initial size', () => {
    const big = sampleLogs()[0]!;
    const many = { ...big, records: Array.from({ length: 3000 }, () => big.records[0]!) };
    const large = encodeLogs([many], 'proto');
    expect(large.length).toBeGreaterThan(1 << 20);
    expect(decode('logs', large).resourceLogs[0].scopeLogs[0].logRecords).toHaveLength(3000);
    const small = encodeLogs(sampleLogs(), 'proto');
    expect(Buffer.from(small)).toEqual(Buffer.from(encodeLogs(sampleLogs(), 'proto')));
    expect(small.buffer.byteLength).toBe(small.length);
  });
});

function expectedBody(r: LogRecord) {
  return expectedAttributes({ b: r.body }).b;
}
