// rbac path rules match the path the proxy routes (RFC 3986 6.2.2, Envoy's normalize_path and
// merge_slashes), not the raw text: encoded letters, dot segments and doubled slashes cannot slip a
// request past an /admin* rule. The record keeps its raw url.path. Slashes an app may decode
// (%2F, %5C, \) are tried both ways and the more restricted outcome wins.
import { describe, expect, it } from 'vitest';
import { normalPath } from '../../../../processors/rbac/normal-path.ts';
import { access, batchOf, rbac } from './records.ts';

const POLICY = `
roles:
  sre: { description: SRE }
  security: { description: Security }
rules:
  - name: public
    match: { path: [/public/*, /static*] }
    tenant: web
    classification: public
  - name: admin
    match: { path: /admin* }
    tenant: security
    classification: restricted
    audience: [security]
  - name: unverified
    match: { attributes: { meshtail.user.verified: false } }
    tenant: security
    classification: confidential
    audience: [security]
default:
  tenant: platform
  classification: internal
  audience: [sre]
`;

function tenantOf(path: string, extra: Record<string, string | boolean> = {}): [string, unknown] {
  const { process } = rbac(POLICY);
  const b = batchOf('shop', [access({ 'url.path': path, ...extra })]);
  process(b);
  const a = b.records[0]!.attributes;
  return [String(a['meshtail.tenant']), a['url.path']];
}

describe('normalPath', () => {
  it.each([
    ['/%61dmin/users', '/admin/users'],
    ['//admin/../admin/users', '/admin/users'],
    ['/./admin/users', '/admin/users'],
    ['/public/../admin/x', '/admin/x'],
    ['/public/%2e%2e/admin', '/admin'],
    ['/public/%2E%2E/%2e/admin', '/admin'],
    ['/a/b/..', '/a/'],
    ['/../../admin', '/admin'],
    ['///admin', '/admin'],
    ['/%7euser/%41%42', '/~user/AB'],
    ['/a%2fb', '/a%2Fb'],
    ['/ok/path', '/ok/path'],
  ])('%s → %s', (raw, want) => {
    expect(normalPath(raw)).toBe(want);
  });
});

describe('rbac path rules on normalised paths', () => {
  it.each([
    '/admin/users',
    '/%61dmin/users',
    '//admin/../admin/users',
    '/./admin/users',
    '/public/../admin/users',
    '/static/%2e%2e/admin',
    '//admin',
    '/adm%69n/%75sers',
  ])('%s hits the /admin* rule and keeps its raw url.path', (path) => {
    expect(tenantOf(path)).toEqual(['security', path]);
  });

  it('takes the more restricted reading of a slash the app may decode', () => {
    expect(tenantOf('/public/..%2Fadmin/users')[0]).toBe('security');
    expect(tenantOf('/public\\..\\admin')[0]).toBe('security');
    expect(tenantOf('/public/a%2Fb')[0]).toBe('web');
  });

  it('leaves paths that only look alike to their own rules', () => {
    expect(tenantOf('/administrator')[0]).toBe('security');
    expect(tenantOf('/ADMIN')[0]).toBe('platform');
    expect(tenantOf('/public/admin')[0]).toBe('web');
  });

  it('matches a boolean attribute written as true/false in the policy', () => {
    expect(tenantOf('/x', { 'meshtail.user.verified': false })[0]).toBe('security');
    expect(tenantOf('/x', { 'meshtail.user.verified': true })[0]).toBe('platform');
  });
});

describe('a crafted path through mesh_parse then rbac', () => {
  it("routes the issue's hidden 403 to the denials tenant, not the default", async () => {
    const { createProcessor } = await import('../../../../processors/mesh_parse/worker.ts');
    const { meshParseConfig } = await import('../../../../processors/mesh_parse/config.ts');
    const { rawRecord } = await import('../../../../agent/kit/worker/raw-decoder.ts');
    const line =
      '[2024-05-05T05:05:05.123Z] "GET /x HTTP/1.1" 200 - via_upstream - "-" 0 0 0 0 "-" "y HTTP/1.1" 403 - ' +
      'rbac_access_denied_matched_policy[none] - "-" 0 19 0 - "-" "curl/8.5.0" "id-1" "shop:8080" "-" ' +
      'inbound|8080|| - 10.244.1.21:8080 10.244.2.9:50010 outbound_.8080_._.shop.default.svc.cluster.local default';
    const b = batchOf('shop', [rawRecord(line, 1n)]);
    createProcessor(meshParseConfig.parse({}))(b);
    const { process } = rbac(`
roles: { sre: { description: SRE }, security: { description: Security } }
rules:
  - { name: denials, match: { status: [401, 403] }, tenant: security, audience: [security] }
default: { tenant: platform, classification: internal, audience: [sre] }
`);
    process(b);
    expect(b.records[0]!.attributes['meshtail.tenant']).toBe('security');
    expect(b.records[0]!.attributes['meshtail.parse.ambiguous']).toBe(true);
  });
});
