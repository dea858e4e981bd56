// OTLP/JSON: the same message as the protobuf encoding, spelled per the OTLP JSON mapping.
import { describe, expect, it } from 'vitest';
import { encodeLogs, encodeMetrics, encodeTraces } from '../../../../../agent/kit/otlp/encoder.ts';
import type { ResourceLogs } from '../../../../../agent/kit/record/record.ts';
import { type Decoded, decode } from './proto-root.ts';
import { sampleLogs, sampleMetrics, sampleSpans } from './samples.ts';

const parse = (bytes: Uint8Array) => JSON.parse(Buffer.from(bytes).toString('utf8'));
const ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);
const ZERO_DEFAULTS = new Set(['droppedAttributesCount', 'droppedEventsCount', 'droppedLinksCount', 'code']);

/**
 * The proto JSON of the decoded protobuf, rewritten to the OTLP JSON spelling: ids as
 * hex, and the zero defaults and empty lists that the JSON leaves out removed from both sides.
 */
function canonical(x: Decoded, key = ''): Decoded {
  if (Array.isArray(x)) return x.map((v) => canonical(v));
  if (x === null || typeof x !== 'object') {
    return ID_FIELDS.has(key) && typeof x === 'string' && !/^[0-9a-f]*$/.test(x)
      ? Buffer.from(x, 'base64').toString('hex')
      : x;
  }
  const out: Record<string, Decoded> = {};
  for (const [k, v] of Object.entries(x)) {
    // Proto JSON omits proto3 zero values; our OTLP/JSON writes some (timestamps, counts): equal messages.
    if ((ZERO_DEFAULTS.has(k) && v === 0) || v === '0' || v === 0) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = canonical(v, k);
  }
  return out;
}

describe('OTLP/JSON encoding', () => {
  it('logs: the JSON is the same message as the protobuf', () => {
    const batches = sampleLogs();
    expect(canonical(parse(encodeLogs(batches, 'json')))).toEqual(
      canonical(decode('logs', encodeLogs(batches, 'proto'))),
    );
  });

  it('traces and metrics: the JSON is the same message as the protobuf', () => {
    const spans = sampleSpans(true);
    expect(canonical(parse(encodeTraces(spans, 'json')))).toEqual(
      canonical(decode('traces', encodeTraces(spans, 'proto'))),
    );
    const metrics = sampleMetrics();
    expect(canonical(parse(encodeMetrics(metrics, 'json')))).toEqual(
      canonical(decode('metrics', encodeMetrics(metrics, 'proto'))),
    );
  });

  it('spells ids as hex, 64-bit integers as strings, enums as numbers, bytes as base64', () => {
    const json = parse(encodeLogs(sampleLogs(), 'json'));
    const r = json.resourceLogs[0].scopeLogs[0].logRecords[0];
    expect(r.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(r.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(r.timeUnixNano).toBe('1760000000123456789');
    expect(r.severityNumber).toBe(9);
    expect(r.flags).toBe(1);
    const attr = (k: string) => r.attributes.find((kv: { key: string }) => kv.key === k).value;
    expect(attr('http.response.status_code')).toEqual({ intValue: '503' });
    expect(attr('negative')).toEqual({ intValue: '-42' });
    expect(attr('raw')).toEqual({ bytesValue: 'AAH+/w==' });
    expect(attr('nothing')).toEqual({});
    expect(attr('nested')).toEqual({
      kvlistValue: {
        values: [
          { key: 'user.id', value: { stringValue: 'u-1' } },
          { key: 'depth', value: { kvlistValue: { values: [{ key: 'n', value: { intValue: '7' } }] } } },
        ],
      },
    });
    expect(json.resourceLogs[0].scopeLogs[0].logRecords[1].body).toEqual({});
    const span = parse(encodeTraces(sampleSpans(false), 'json')).resourceSpans[0].scopeSpans[0].spans[0];
    expect([span.kind, span.flags, span.status.code]).toEqual([2, 0x301, 2]);
    const sum = parse(encodeMetrics(sampleMetrics(), 'json')).resourceMetrics[0].scopeMetrics[0].metrics[0]
      .sum;
    expect([sum.aggregationTemporality, sum.isMonotonic, sum.dataPoints[0].asInt]).toEqual([2, true, '1234']);
  });

  it('escapes strings that JSON cannot carry raw and keeps non-ASCII text, short or long', () => {
    const nasty = [
      'quote " back \\ nl \n tab \t nul \u0000',
      'é😀',
      '\ud800 lone',
      `${'"'.repeat(80)}\n${'ü'.repeat(90)}`,
    ];
    const batch: ResourceLogs = {
      resource: {},
      scope: { name: 'n"ame' },
      records: nasty.map((s) => ({
        timeUnixNano: 1n,
        observedTimeUnixNano: 2n,
        severityNumber: 0,
        severityText: '',
        body: s,
        attributes: {
          [s]: s,
          nan: Number.NaN,
          inf: Number.POSITIVE_INFINITY,
          ninf: Number.NEGATIVE_INFINITY,
        },
      })),
    };
    const json = parse(encodeLogs([batch], 'json'));
    expect(json.resourceLogs[0].scopeLogs[0].scope.name).toBe('n"ame');
    const records = json.resourceLogs[0].scopeLogs[0].logRecords;
    records.forEach((r: Decoded, i: number) => {
      const want = nasty[i]!.replace('\ud800', '\ufffd');
      expect(r.body.stringValue.replace('\ud800', '\ufffd')).toBe(want);
      expect(r.attributes[0].key.replace('\ud800', '\ufffd')).toBe(want);
      expect(r.attributes.slice(1).map((kv: Decoded) => kv.value.doubleValue)).toEqual([
        'NaN',
        'Infinity',
        '-Infinity',
      ]);
    });
  });

  it('writes one line, no newline, and a fresh buffer per call', () => {
    const a = encodeLogs(sampleLogs(), 'json');
    expect(Buffer.from(a).includes(10)).toBe(false);
    expect(a.buffer.byteLength).toBe(a.length);
    encodeLogs([], 'json');
    expect(parse(a).resourceLogs).toHaveLength(2);
    expect(parse(encodeLogs([], 'json'))).toEqual({ resourceLogs: [] });
  });
});
