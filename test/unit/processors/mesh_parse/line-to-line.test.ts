// mesh_parse remembers a little from one line to the next (the last day and millisecond of the
// timestamp, the last value of repeated fields, recent.ts): a line's record must be what it is
// whatever came before it. Each case reads a line after a different one and alone, and compares.
import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../../../agent/kit/record/record.ts';
import { meshParseConfig } from '../../../../processors/mesh_parse/config.ts';
import { parseTimestampNs } from '../../../../processors/mesh_parse/timestamp.ts';
import { createProcessor } from '../../../../processors/mesh_parse/worker.ts';

/** Date.parse's milliseconds and the digits past them: the reference, computed another way. */
function reference(s: string): bigint {
  const frac = /\.(\d+)/.exec(s)?.[1] ?? '';
  const ms = Date.parse(s.replace(/\.\d+/, ''));
  return BigInt(ms) * 1_000_000n + BigInt(frac.padEnd(9, '0').slice(0, 9));
}

describe('parseTimestampNs from line to line', () => {
  it('gives each time its own value across milliseconds, seconds, days, months and years', () => {
    const times = [
      '2024-12-31T23:59:59.999Z',
      '2024-12-31T23:59:59.999Z',
      '2025-01-01T00:00:00.000Z',
      '2025-01-01T00:00:00.000123Z',
      '2025-01-01T00:00:00.000Z',
      '2024-02-29T12:00:00.500Z',
      '2024-03-01T12:00:00.500Z',
      '2024-02-29T12:00:00.501Z',
      '1999-06-15T06:30:45.100Z',
      '2024-02-29T12:00:00.500Z',
    ];
    for (let i = 0; i < times.length; i++) {
      const s = times[i]!;
      expect({ s, ns: parseTimestampNs(s) }).toEqual({ s, ns: reference(s) });
    }
    // Reversed, so each is read after a different predecessor.
    for (const s of [...times].reverse())
      expect({ s, ns: parseTimestampNs(s) }).toEqual({ s, ns: reference(s) });
  });

  it('reads out-of-range and non-digit fields as Date.UTC does, whatever day came before', () => {
    parseTimestampNs('2024-02-29T12:00:00.500Z');
    // Hour 25 rolls into the next day, as Date.UTC rolls it.
    expect(parseTimestampNs('2024-02-29T25:00:00Z')).toBe(BigInt(Date.UTC(2024, 1, 29, 25)) * 1_000_000n);
    // A letter where a digit belongs: the same (odd) answer as before the day cache, not the day's.
    const odd = '2024-02-2aT12:00:00Z';
    const d = (i: number) => odd.charCodeAt(i) - 48;
    expect(parseTimestampNs(odd)).toBe(BigInt(Date.UTC(2024, 1, d(8) * 10 + d(9), 12, 0, 0)) * 1_000_000n);
    expect(parseTimestampNs('2024-02-29T12:00:00.500Z')).toBe(reference('2024-02-29T12:00:00.500Z'));
  });
});

const LINE = (cluster: string, authority: string, path: string, remote: string, protocol: string) =>
  `[2024-05-01T10:00:00.000Z] "GET ${path} ${protocol}" 200 - via_upstream - "-" 0 12 3 2 "-" "curl/8" "id-1" "${authority}" "10.1.0.7:9080" ${cluster} 10.1.0.9:40000 10.96.0.1:9080 ${remote} - default`;

function parseOne(process: ReturnType<typeof createProcessor>, line: string): LogRecord {
  const r: LogRecord = {
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: '',
    body: line,
    attributes: {},
  };
  process({
    resource: { 'k8s.pod.name': 'productpage-v1-5b4b7c8d9f-x2x9k', 'k8s.namespace.name': 'shop' },
    scope: { name: 't' },
    records: [r],
  });
  return r;
}

describe('mesh_parse from line to line', () => {
  it('gives every line the record it gets alone, after any other line', () => {
    const lines = [
      LINE(
        'outbound|9080||details.default.svc.cluster.local',
        'details:9080',
        '/a?x=1',
        '10.1.0.9:1111',
        'HTTP/1.1',
      ),
      LINE('outbound|9080|v2|reviews.shop.svc.cluster.local', 'reviews', '/a?y=2', '10.1.0.9:2222', 'HTTP/2'),
      LINE('inbound|9080||', '10.1.0.7:9080', '/b', '[::1]:3333', 'HTTP/2'),
      LINE(
        'outbound|70000||details.default.svc.cluster.local',
        'details:9080',
        '/b?z',
        '10.1.0.8:1',
        'HTTP/1.1',
      ),
      LINE(
        'outbound|9080||external.example.com',
        'external.example.com:443',
        '/c',
        '10.1.0.8:65536',
        'http/1.0',
      ),
      LINE('outbound|0x50|a|b|c', 'h:1', '/d', '10.1.0.8:', 'HTTP/1.1'),
      LINE('inbound|80|http|reviews.shop.svc.cluster.local', 'h:00080', '/d', '10.1.0.8:0080', 'GRPC'),
      LINE('outbound||sub|details.default.svc.cluster.local', 'details', '/e', '10.1.0.8:9', 'HTTP/1.1'),
    ];
    const alone = lines.map((l) => parseOne(createProcessor(meshParseConfig.parse({})), l));
    const shared = createProcessor(meshParseConfig.parse({}));
    const order = [...lines.keys(), ...[...lines.keys()].reverse(), 3, 0, 5, 1, 6, 2, 7, 4];
    for (const i of order) expect(parseOne(shared, lines[i]!)).toEqual(alone[i]);
    // The cases hold what they are meant to: ports past 65535, a subset, a non-service FQDN.
    expect(alone[0]!.attributes).toMatchObject({ 'mesh.destination.service': 'details', 'url.query': 'x=1' });
    expect(alone[1]!.attributes).toMatchObject({
      'mesh.destination.subset': 'v2',
      'network.protocol.version': '2',
    });
    expect(alone[3]!.attributes['mesh.destination.port']).toBe(70000);
    expect(alone[4]!.attributes).toMatchObject({ 'mesh.destination.service': 'external.example.com' });
    expect(alone[4]!.attributes['source.port']).toBeUndefined();
    expect(alone[5]!.attributes['mesh.destination.service']).toBeUndefined();
    expect(alone[6]!.attributes).toMatchObject({ 'source.port': 80, 'mesh.direction': 'inbound' });
  });
});
