// body: in_place is safe for a format only if its line holds nothing the attributes do not: every
// operator of each format in IN_PLACE_FORMATS is rendered with a value of its own, parsed by
// mesh_parse, and each piece of it must be found in the record's attributes (the start time is the
// record's time).
import { describe, expect, it } from 'vitest';
import { rawRecord } from '../../../../agent/kit/worker/raw-decoder.ts';
import { IN_PLACE_FORMATS } from '../../../../processors/encrypt/config.ts';
import { BUILTIN_FORMAT_NAMES, BUILTIN_FORMATS } from '../../../../processors/mesh_parse/builtin-formats.ts';
import { meshParseConfig } from '../../../../processors/mesh_parse/config.ts';
import { createProcessor as createMeshParse } from '../../../../processors/mesh_parse/worker.ts';

const VALUES: Record<string, string> = {
  'REQ(:METHOD)': 'PATCH',
  'REQ(X-ENVOY-ORIGINAL-PATH?:PATH)': '/orig/q7x?k=v9w',
  PROTOCOL: 'HTTP/1.1',
  RESPONSE_CODE: '503',
  RESPONSE_FLAGS: 'UH',
  RESPONSE_CODE_DETAILS: 'det_a1',
  CONNECTION_TERMINATION_DETAILS: 'term_b2',
  UPSTREAM_TRANSPORT_FAILURE_REASON: 'tfr_c3',
  BYTES_RECEIVED: '1234',
  BYTES_SENT: '5678',
  DURATION: '91',
  'RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)': '87',
  'REQ(X-FORWARDED-FOR)': '203.0.113.77',
  'REQ(USER-AGENT)': 'ua_d4',
  'REQ(X-REQUEST-ID)': 'rid_e5',
  'REQ(:AUTHORITY)': 'auth_f6',
  UPSTREAM_HOST: '10.1.2.3:9080',
  UPSTREAM_CLUSTER: 'outbound|9080||clg7.default.svc.cluster.local',
  UPSTREAM_CLUSTER_RAW: 'outbound|9080||clg7.default.svc.cluster.local',
  UPSTREAM_LOCAL_ADDRESS: '10.1.2.4:40001',
  DOWNSTREAM_LOCAL_ADDRESS: '10.1.2.5:9080',
  DOWNSTREAM_REMOTE_ADDRESS: '10.1.2.6:40002',
  REQUESTED_SERVER_NAME: 'sni_h8',
  ROUTE_NAME: 'route_i9',
  'DYNAMIC_METADATA(istio.mixer:status)': 'mixer_j0',
};

function render(format: string): { line: string; values: string[] } {
  const values: string[] = [];
  const line = format.replace(/\n$/, '').replace(/%([^%]+)%/g, (_, op: string) => {
    if (op === 'START_TIME') return '2026-12-07T10:00:00.000Z';
    const v = VALUES[op];
    if (v === undefined) throw new Error(`no sample value for %${op}%`);
    values.push(v);
    return v;
  });
  return { line, values };
}

describe('encrypt in_place_formats', () => {
  it("lists exactly mesh_parse's built-in formats", () => {
    expect([...IN_PLACE_FORMATS].sort()).toEqual([...BUILTIN_FORMAT_NAMES].sort());
  });

  for (const name of IN_PLACE_FORMATS) {
    it(`${name}: every operator of the line is in an attribute`, () => {
      const { line, values } = render(BUILTIN_FORMATS[name as keyof typeof BUILTIN_FORMATS]);
      const batch = { resource: {}, scope: { name: 'meshtail' }, records: [rawRecord(line, 0n)] };
      const parse = meshParseConfig.parse({ builtin_formats: [name] });
      createMeshParse(parse, { id: 'mesh_parse', count: () => {}, emit: () => {} })(batch);
      const a = batch.records[0]!.attributes;
      expect(a['meshtail.parse.error']).toBeUndefined();
      expect(a['meshtail.log.format']).toBe(name);
      // Values may be split or normalised (path and query, protocol name and version, address and
      // port): each piece of each value must be held, case aside.
      const held = JSON.stringify(a).toLowerCase();
      const pieces = values.flatMap((v) =>
        v
          .toLowerCase()
          .split(/[^a-z0-9_]+/)
          .filter((p) => p !== ''),
      );
      expect(pieces.length).toBeGreaterThan(values.length);
      expect(pieces.filter((p) => !held.includes(p))).toEqual([]);
    });
  }
});
