// meshtail's protobuf bytes must equal @opentelemetry/otlp-transformer's for the same data.
import {
  JsonLogsSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { encodeLogs, encodeMetrics, encodeTraces } from '../../../../../agent/kit/otlp/encoder.ts';
import { decode } from './proto-root.ts';
import { sampleLogs, sampleMetrics, sampleSpans } from './samples.ts';
import { toSdkLogs, toSdkMetrics, toSdkSpans } from './sdk-shapes.ts';

const same = (a: Uint8Array, b: Uint8Array | undefined) =>
  Buffer.compare(Buffer.from(a), Buffer.from(b!)) === 0;

describe('OTLP protobuf conformance with otlp-transformer', () => {
  it('logs: byte-equal, attributes of every kind, ids, severity, flags, bodies', () => {
    const batches = sampleLogs();
    const ours = encodeLogs(batches, 'proto');
    const theirs = ProtobufLogsSerializer.serializeRequest(toSdkLogs(batches));
    expect(ours.length).toBeGreaterThan(1000);
    expect(Buffer.from(ours).toString('hex')).toBe(Buffer.from(theirs!).toString('hex'));
    expect(same(ours, theirs)).toBe(true);
  });

  it('logs: byte-equal for a batch whose messages need 2- and 3-byte length prefixes', () => {
    const [batch] = sampleLogs();
    const big = { ...batch!, records: Array.from({ length: 400 }, () => batch!.records[0]!) };
    const ours = encodeLogs([big], 'proto');
    expect(ours.length).toBeGreaterThan(2 ** 16);
    expect(same(ours, ProtobufLogsSerializer.serializeRequest(toSdkLogs([big])))).toBe(true);
  });

  it('logs: byte-equal when attribute keys come from the key cache, past its bounds too', () => {
    // The proto sink keeps the encoding of keys it has seen (up to a count and a length): keys that
    // are new, cached, non-ASCII, too long to cache, and more than the cache holds must all encode
    // as the reference does, in this batch and the next.
    const [batch] = sampleLogs();
    const base = batch!.records[0]!;
    const records = Array.from({ length: 30 }, (_, i) => ({
      ...base,
      attributes: {
        ...base.attributes,
        [`k.${i % 3}`]: i,
        'clé.ünïcode': 'v',
        [`long.${'x'.repeat(130)}.${i % 2}`]: 'long key',
        ...Object.fromEntries(Array.from({ length: 100 }, (_, j) => [`many.${i}.${j}`, j])),
      },
    }));
    const big = { ...batch!, records };
    for (let round = 0; round < 2; round++) {
      const ours = encodeLogs([big], 'proto');
      expect(same(ours, ProtobufLogsSerializer.serializeRequest(toSdkLogs([big])))).toBe(true);
    }
  });

  it('traces: byte-equal, with parent, trace state, flags, kind, events and status', () => {
    const batches = sampleSpans(false);
    const ours = encodeTraces(batches, 'proto');
    expect(same(ours, ProtobufTraceSerializer.serializeRequest(toSdkSpans(batches)))).toBe(true);
  });

  it('traces with links: equal except link flags, which the model does not carry', () => {
    // The transformer always writes Link.flags (0x100, "remote-ness known") from the SDK's
    // SpanContext; meshtail's SpanLink has no flags, so it writes none (spec: unknown). Compare
    // the decoded messages with that one field removed.
    const batches = sampleSpans(true);
    const ours = decode('traces', encodeTraces(batches, 'proto'));
    const theirs = decode('traces', ProtobufTraceSerializer.serializeRequest(toSdkSpans(batches))!);
    const link = theirs.resourceSpans[0].scopeSpans[0].spans[0].links[0];
    expect(link.flags).toBe(0x100);
    delete link.flags;
    expect(ours).toEqual(theirs);
  });

  it('metrics: byte-equal for sum (int, monotonic), gauge, histogram and exponential histogram', () => {
    const batches = sampleMetrics();
    const ours = encodeMetrics(batches, 'proto');
    // The transformer serializes one ResourceMetrics per request; repeated fields concatenate.
    const theirs = Buffer.concat(
      toSdkMetrics(batches).map((rm) => ProtobufMetricsSerializer.serializeRequest(rm)!),
    );
    expect(Buffer.from(ours).toString('hex')).toBe(theirs.toString('hex'));
  });

  it('an empty request is empty bytes, as for the transformer', () => {
    expect(encodeLogs([], 'proto').length).toBe(0);
    expect(ProtobufLogsSerializer.serializeRequest([])!.length).toBe(0);
  });

  it('json: attributes, ids, timestamps and body agree with JsonLogsSerializer', () => {
    const batches = sampleLogs();
    const ours = JSON.parse(Buffer.from(encodeLogs(batches, 'json')).toString('utf8'));
    const theirs = JSON.parse(
      Buffer.from(JsonLogsSerializer.serializeRequest(toSdkLogs(batches))!).toString('utf8'),
    );
    // The transformer writes intValue as a JSON number; the OTLP JSON mapping says decimal string.
    // Its JSON path also writes 1e20 as intValue (outside int64; its own proto path writes a
    // double), so that attribute is left out here and checked on its own.
    const norm = (x: unknown): unknown =>
      JSON.parse(
        JSON.stringify(x, (k, v) =>
          k === 'intValue' ? String(v) : v?.key === 'beyondInt64' ? undefined : v,
        ),
      );
    const pick = (r: Record<string, unknown>) => ({
      timeUnixNano: r.timeUnixNano,
      observedTimeUnixNano: r.observedTimeUnixNano,
      body: r.body,
      attributes: r.attributes,
      traceId: r.traceId,
      spanId: r.spanId,
    });
    const records = (req: { resourceLogs: { scopeLogs: { logRecords: Record<string, unknown>[] }[] }[] }) =>
      req.resourceLogs.flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords.map(pick)));
    expect(norm(records(ours))).toEqual(norm(records(theirs)));
    expect(ours.resourceLogs[0].resource.attributes).toEqual(
      norm(theirs.resourceLogs[0].resource.attributes),
    );
    expect(ours.resourceLogs[0].scopeLogs[0].scope).toEqual(theirs.resourceLogs[0].scopeLogs[0].scope);
    const beyond = ours.resourceLogs[0].scopeLogs[0].logRecords[0].attributes.find(
      (kv: { key: string }) => kv.key === 'beyondInt64',
    );
    expect(beyond.value).toEqual({ doubleValue: 1e20 });
  });
});
