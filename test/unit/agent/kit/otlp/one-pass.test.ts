// ProtoSink writes the KeyValue of a key it has cached in one pass, lengths computed from the value
// first (ASCII strings, 0..2^32-1 integers, doubles, bools), and falls back for anything else. Its
// bytes must equal otlp-transformer's at every edge. Its own file: the key cache is per module, and
// conformance.test.ts fills it on purpose.
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { encodeLogs } from '../../../../../agent/kit/otlp/encoder.ts';
import { ProtoSink } from '../../../../../agent/kit/otlp/proto-sink.ts';
import type { LogRecord } from '../../../../../agent/kit/record/record.ts';
import { sampleLogs } from './samples.ts';
import { toSdkLogs } from './sdk-shapes.ts';

// Non-ASCII text short and long, lone surrogates, values needing 1-, 2- and 3-byte lengths around
// the 64-char copy loop, negatives and integers past 2^32, and values that are not scalars. (bigint
// is decode.test.ts's: the SDK has none.)
const VALUES: unknown[] = [
  '',
  'a',
  'x'.repeat(63),
  'x'.repeat(64),
  'x'.repeat(65),
  'y'.repeat(120),
  'y'.repeat(200),
  'z'.repeat(20_000),
  'é',
  `${'x'.repeat(70)}é`,
  'ü'.repeat(64),
  '😀',
  'a\ud800b',
  `${'q'.repeat(100)}\udc00`,
  0,
  1,
  127,
  128,
  2 ** 32 - 1,
  2 ** 32,
  2 ** 53,
  -1,
  -(2 ** 31),
  1.5,
  -0.25,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  -0,
  true,
  false,
  null,
  ['a', 1],
  Uint8Array.of(1, 2),
  { kvlist: { k: 'v' } },
];

describe('ProtoSink one-pass KeyValues', () => {
  it('are byte-equal to otlp-transformer for every edge, first and cached', () => {
    const [batch] = sampleLogs();
    const base = batch!.records[0]!;
    const records = VALUES.map((v, i) => ({
      ...base,
      attributes: { ...base.attributes, 'one.pass': v, 'other.key': VALUES[(i + 7) % VALUES.length] },
    })) as LogRecord[];
    const big = { ...batch!, records: [base, ...records, ...records] };
    let taken = 0;
    const keyValue = ProtoSink.prototype.keyValue;
    ProtoSink.prototype.keyValue = function (...args) {
      const wrote = keyValue.apply(this, args);
      if (wrote && args[1] === 'one.pass') taken++;
      return wrote;
    };
    try {
      const ours = encodeLogs([big], 'proto');
      expect(Buffer.from(ours).toString('hex')).toBe(
        Buffer.from(ProtobufLogsSerializer.serializeRequest(toSdkLogs([big]))!).toString('hex'),
      );
    } finally {
      ProtoSink.prototype.keyValue = keyValue;
    }
    // 20 values per round take the one-pass path (8 ASCII strings, 6 uint32-range integers with -0,
    // 4 doubles, 2 bools); the very first, '', is what puts the key in the cache.
    expect(taken).toBe(39);
  });

  it("keep the attributes' own order when the object is in dictionary mode", () => {
    // Pipeline records end in dictionary mode (many keyed stores, deletes); the walk must still give
    // insertion order with integer-like keys first, as the transformer's Object.keys does.
    const [batch] = sampleLogs();
    const base = batch!.records[0]!;
    const attributes: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) attributes[`k.${(i * 7) % 40}`] = i % 3 ? `v${i}` : i;
    attributes['10'] = 'ten';
    attributes['2'] = 'two';
    delete attributes['k.7'];
    attributes['k.7'] = 'back, now last';
    const records = [0, 1].map(() => ({ ...base, attributes: { ...attributes } }));
    records.push({ ...base, attributes });
    const big = { ...batch!, records: records as LogRecord[] };
    const ours = Buffer.from(encodeLogs([big], 'proto')).toString('hex');
    expect(ours).toBe(
      Buffer.from(ProtobufLogsSerializer.serializeRequest(toSdkLogs([big]))!).toString('hex'),
    );
    expect(ours.indexOf(Buffer.from('two').toString('hex'))).toBeLessThan(
      ours.indexOf(Buffer.from('k.0').toString('hex')),
    );
  });
});
