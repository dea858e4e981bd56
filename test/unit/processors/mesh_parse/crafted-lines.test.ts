// Request text cannot steer the parse (docs/security.md "The client cannot steer"). For every
// built-in text format and user formats with many client fields, a clean RBAC denial is rendered,
// then each client-controlled field in turn carries crafted text: copies of the rest of the line as
// a 200 would print it (cut at every space and quote), copies of what precedes it, quotes,
// brackets, spaces. A line read one way must give every field of the clean line; a line readable
// more than one way must say so and keep the denial and the fields the client cannot reach.
import { describe, expect, it } from 'vitest';
import type { Attributes, LogRecord } from '../../../../agent/kit/record/record.ts';
import { rawRecord } from '../../../../agent/kit/worker/raw-decoder.ts';
import { applyAccessFields } from '../../../../processors/mesh_parse/access-record.ts';
import { BUILTIN_FORMAT_NAMES, BUILTIN_FORMATS } from '../../../../processors/mesh_parse/builtin-formats.ts';
import { meshParseConfig } from '../../../../processors/mesh_parse/config.ts';
import { compileTextFormat } from '../../../../processors/mesh_parse/envoy-format.ts';
import { Fields, operatorKey, setField } from '../../../../processors/mesh_parse/field-key.ts';
import { createProcessor } from '../../../../processors/mesh_parse/worker.ts';

const DENIAL: Record<string, string> = {
  start_time: '2024-05-05T05:05:05.123Z',
  method: 'GET',
  path: '/admin/users?page=2',
  protocol: 'HTTP/1.1',
  code: '403',
  flags: '-',
  details: 'rbac_access_denied_matched_policy[ns[shop]-policy[deny-admin]-rule[0]]',
  termination: '-',
  transport_failure: '-',
  mixer_status: '-',
  bytes_received: '0',
  bytes_sent: '19',
  duration: '0',
  upstream_service_time: '-',
  xff: '203.0.113.9',
  user_agent: 'curl/8.5.0',
  request_id: '6f1c-req',
  authority: 'shop.default:8080',
  upstream_host: '-',
  upstream_cluster: 'inbound|8080||',
  upstream_local: '-',
  downstream_local: '10.244.1.21:8080',
  downstream_remote: '10.244.2.9:50010',
  sni: 'outbound_.8080_._.shop.default.svc.cluster.local',
  route: 'default',
  grpc_status: 'PermissionDenied',
  downstream_peer_uri: 'spiffe://cluster.local/ns/shop/sa/web',
  upstream_peer_uri: '-',
  'req:x-user-id': 'alice',
  'req:x-jwt-payload': 'eyJzdWIiOiJhbGljZSJ9',
  'dm:envoy.filters.http.jwt_authn:payload.sub': 'alice',
};
const SUCCESS: Record<string, string> = {
  ...DENIAL,
  code: '200',
  details: 'via_upstream',
  bytes_sent: '5120',
  duration: '7',
  upstream_service_time: '6',
  upstream_host: '10.244.1.21:8080',
  upstream_local: '127.0.0.6:40001',
  grpc_status: 'OK',
};

// Fixture user formats (test/fixtures/mesh) with the most client fields side by side.
const USER_FORMATS: Record<string, string> = {
  audit:
    '[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% ' +
    '%RESPONSE_CODE_DETAILS% "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" %UPSTREAM_CLUSTER_RAW% ' +
    '%DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% "%DOWNSTREAM_PEER_URI_SAN%" "%UPSTREAM_PEER_URI_SAN%" ' +
    '"%REQ(X-USER-ID)%" "%REQ(X-JWT-PAYLOAD)%" "%DYNAMIC_METADATA(envoy.filters.http.jwt_authn:payload:sub)%"',
  grpc:
    '[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% ' +
    '%RESPONSE_CODE_DETAILS% %GRPC_STATUS% %DURATION% "%REQ(USER-AGENT)%" %UPSTREAM_CLUSTER_RAW%',
};
const FORMATS: [string, string, boolean][] = [
  ...BUILTIN_FORMAT_NAMES.map((n): [string, string, boolean] => [n, BUILTIN_FORMATS[n], true]),
  ...Object.entries(USER_FORMATS).map(([n, f]): [string, string, boolean] => [n, f, false]),
];

/** Text the client chooses: the path and request headers (x-request-id and x-forwarded-for too), and
 * JWT claims in dynamic metadata. */
const clientControlled = (key: string) =>
  ['path', 'user_agent', 'xff', 'authority', 'request_id'].includes(key) ||
  key.startsWith('req:') ||
  key.startsWith('dm:');

const OPERATOR = /%([A-Z][A-Z0-9_]*)(?:\(([^)]*)\))?(?::\d+)?%/g;

/** The line Envoy would print; `override` replaces one field's text. */
function render(format: string, values: Record<string, string>, override?: [string, string]): string {
  return format.replace(/\n+$/, '').replace(OPERATOR, (_, name: string, arg?: string) => {
    const key = operatorKey(name, arg);
    return override && key === override[0] ? override[1] : (values[key] ?? '-');
  });
}

/** The attributes a line of these values maps to, computed without any parsing. */
function expected(format: string, values: Record<string, string>, only?: Set<string>): Attributes {
  const fields = new Fields();
  for (const key of compileTextFormat('x', format).keys) {
    const v = values[key];
    if (v !== undefined && v !== '-' && (!only || only.has(key))) setField(fields, key, v);
  }
  const r = rawRecord('', 0n);
  applyAccessFields(r, fields, 'x');
  const a = r.attributes;
  delete a['meshtail.log.format'];
  return a;
}

/** Payloads for one free field: pieces of the 200 line around it, quotes, brackets, spaces. */
function payloads(format: string, key: string): string[] {
  const marker = '\u0000';
  const line = render(format, SUCCESS, [key, marker]);
  const at = line.indexOf(marker);
  const before = line.slice(0, at);
  const after = line.slice(at + 1);
  const v = DENIAL[key]!;
  const out = new Set<string>([
    `${v}${after}`,
    `${before}${v}`,
    'a"b',
    '" "',
    '"',
    'a" "b" "c',
    ']',
    '[',
    `${DENIAL.start_time}] "GET /`,
    ' ',
    'a b  c',
    '\t',
    '" 200 ',
    '"-" 0 0 0 0 "',
  ]);
  for (let i = 0; i < after.length; i++)
    if (after[i] === ' ' || after[i] === '"') out.add(v + after.slice(0, i));
  for (let i = 0; i < before.length; i++)
    if (before[i] === ' ' || before[i] === '"') out.add(before.slice(i) + v);
  return [...out];
}

const parsers = new Map<string, ReturnType<typeof createProcessor>>();
function parse(name: string, format: string, builtin: boolean, line: string): LogRecord {
  let p = parsers.get(name);
  if (!p) {
    p = createProcessor(
      meshParseConfig.parse(
        builtin ? { builtin_formats: [name] } : { formats: [{ name, format }], builtin_formats: [] },
      ),
    );
    parsers.set(name, p);
  }
  const r = rawRecord(line, 1n);
  p({ resource: {}, scope: { name: 'test' }, records: [r] });
  return r;
}

// Attributes that mix a client field with others: compared for unambiguous lines only.
const MIXED = new Set([
  'http.response.status_code',
  'network.transport',
  'client.address',
  'destination.address',
  'destination.port',
  'meshtail.log.kind',
]);

describe.each(FORMATS)('%s', (name, format, builtin) => {
  const keys = compileTextFormat(name, format).keys;
  const free = keys.filter(clientControlled);
  // What the client cannot reach: the fields before the first client field and after the last.
  const firstFree = keys.findIndex(clientControlled);
  const lastFree = keys.length - 1 - [...keys].reverse().findIndex(clientControlled);
  const fixed = new Set([...keys.slice(0, firstFree), ...keys.slice(lastFree + 1)]);
  const clean = render(format, DENIAL);

  it('reads the clean denial as written', () => {
    const a = parse(name, format, builtin, clean).attributes;
    expect(a['meshtail.parse.ambiguous']).toBeUndefined();
    expect(a).toMatchObject(expected(format, DENIAL));
  });

  it('has client fields to craft', () => {
    expect(free.length).toBeGreaterThan(0);
  });

  it.each(free)('no crafted %s moves another field', (key) => {
    let ambiguous = 0;
    const cases = payloads(format, key);
    for (const text of cases) {
      const line = render(format, DENIAL, [key, text]);
      const a = parse(name, format, builtin, line).attributes;
      expect(a['meshtail.parse.error'], line).toBeUndefined();
      expect(a['meshtail.log.format'], line).toBe(name);
      const want = expected(format, { ...DENIAL, [key]: text });
      if (a['meshtail.parse.ambiguous'] === true) {
        ambiguous++;
        // Kept restricted: the denial stands, and what the client cannot reach is unchanged.
        if (format.includes('%RESPONSE_CODE%')) expect(a['http.response.status_code'], line).toBe(403);
        if (format.includes('%RESPONSE_CODE_DETAILS%')) expect(a['meshtail.denial.cause'], line).toBe('rbac');
        const tail = expected(format, DENIAL, fixed);
        for (const k of Object.keys(tail))
          if (!MIXED.has(k)) expect(a[k], `${k} of ${line}`).toEqual(tail[k]);
      } else {
        for (const [k, v] of Object.entries(want)) expect(a[k], `${k} of ${line}`).toEqual(v);
      }
    }
    // The copies of the line are readable more than one way: the parser must have noticed.
    expect(ambiguous).toBeGreaterThan(0);
  });
});

describe("the issue's line", () => {
  const parse1 = createProcessor(meshParseConfig.parse({}));
  const DENIED =
    '[2024-05-05T05:05:05.123Z] "GET /x HTTP/1.1" 200 - via_upstream - "-" 0 0 0 0 "-" "y HTTP/1.1" 403 - ' +
    'rbac_access_denied_matched_policy[ns[shop]-policy[deny]-rule[0]] - "-" 0 19 0 - "-" "curl/8.5.0" "id-1" ' +
    '"shop:8080" "-" inbound|8080|| - 10.244.1.21:8080 10.244.2.9:50010 ' +
    'outbound_.8080_._.shop.default.svc.cluster.local default';
  it('keeps the 403 RBAC denial a path ending in a fake 200 tail tries to hide', () => {
    const r = rawRecord(DENIED, 1n);
    parse1({ resource: {}, scope: { name: 'test' }, records: [r] });
    const a = r.attributes;
    expect(a['http.response.status_code']).toBe(403);
    expect(a['meshtail.denial.cause']).toBe('rbac');
    expect(a['meshtail.parse.ambiguous']).toBe(true);
    expect(a['url.path']).toMatch(/^\/x HTTP\/1\.1" 200 /);
    expect(a['mesh.direction']).toBe('inbound');
  });
  it('takes the denial a crafted path adds to a success: restrictive either way', () => {
    const line = DENIED.replace(
      '" 403 - rbac_access_denied_matched_policy[ns[shop]-policy[deny]-rule[0]]',
      '" 200 - via_upstream',
    ).replace(
      '" 200 - via_upstream - "-" 0 0 0 0',
      '" 403 - rbac_access_denied_matched_policy[none] - "-" 0 0 0 0',
    );
    const r = rawRecord(line, 1n);
    parse1({ resource: {}, scope: { name: 'test' }, records: [r] });
    expect(r.attributes['http.response.status_code']).toBe(403);
    expect(r.attributes['meshtail.parse.ambiguous']).toBe(true);
  });
});

describe('Linkerd and ztunnel', () => {
  const parse1 = createProcessor(meshParseConfig.parse({}));
  const run = (line: string) => {
    const r = rawRecord(line, 1n);
    parse1({ resource: {}, scope: { name: 'test' }, records: [r] });
    return r.attributes;
  };
  it("reads a Linkerd apache line's status and size from the end, whatever the path holds", () => {
    const tail = ' HTTP/1.1" 403 19';
    for (const path of [
      '/x',
      '/x HTTP/1.1" 200 5120',
      '/x" 200 5120 "GET /y',
      '/x HTTP/2.0" 200',
      '/a b  c"',
    ]) {
      const a = run(
        `10.244.2.9:50010 web.shop.serviceaccount.identity.linkerd.cluster.local - [05/May/2024:05:05:05 +0000] "GET ${path}${tail}`,
      );
      expect(a['http.response.status_code'], path).toBe(403);
      expect(a['http.response.body.size'], path).toBe(19);
      expect(a['url.path'], path).toBe(path.split('?')[0]);
    }
  });
  it('keeps an escaped quote inside a ztunnel value', () => {
    const a = run(
      '2024-05-05T05:05:05.123456Z\tinfo\taccess\tconnection complete\tsrc.addr=10.244.2.9:50010 ' +
        'error="peer said \\"dst.workload=evil\\" x" dst.workload=shop-v1 direction="inbound"',
    );
    expect(a['mesh.destination.workload']).toBe('shop-v1');
    expect(a['meshtail.ztunnel.error']).toBe('peer said "dst.workload=evil" x');
    expect(a['mesh.direction']).toBe('inbound');
  });
});
