// Rule matching over the fixture policy: each condition kind, first match wins, the default, and a
// rule's unset assignments falling back to the default's.
import { describe, expect, it } from 'vitest';
import type { Attributes } from '../../../../agent/kit/record/record.ts';
import { loadPolicyFile, loadPolicyText } from '../../../../processors/rbac/policy-file.ts';
import { compileRules, firstMatch, rulesFor } from '../../../../processors/rbac/rule-set.ts';
import { POLICY } from './records.ts';

const loaded = loadPolicyFile(POLICY);
if (!loaded.ok) throw new Error('fixture policy does not load');
const set = compileRules(loaded.policy);

function ruleFor(namespace: string, attributes: Attributes): [string, string, string] {
  const o = firstMatch(rulesFor(set, { 'k8s.namespace.name': namespace }), set.fallback, attributes);
  return [o.name, o.tenant, o.classification];
}

const SPIFFE = 'spiffe://cluster.local/ns/shop/sa/frontend';

describe('rule matching (fixture policy)', () => {
  it.each([
    [
      'status in a list + principal glob',
      'shop',
      { 'http.response.status_code': 403, 'mesh.source.principal': SPIFFE },
      ['denials', 'security', 'confidential'],
    ],
    [
      'status without the principal',
      'shop',
      { 'http.response.status_code': 403 },
      ['default', 'platform', 'internal'],
    ],
    [
      'principal outside the glob',
      'shop',
      { 'http.response.status_code': 401, 'mesh.source.principal': 'spiffe://other/ns/x' },
      ['default', 'platform', 'internal'],
    ],
    [
      'namespace (resource) + path prefix',
      'payments',
      { 'url.path': '/api/charge' },
      ['payments', 'payments', 'restricted'],
    ],
    [
      'path prefix in another namespace',
      'shop',
      { 'url.path': '/api/charge' },
      ['default', 'platform', 'internal'],
    ],
    ['namespace without the path', 'payments', { 'url.path': '/other' }, ['default', 'platform', 'internal']],
    [
      'service + status class 5xx',
      'shop',
      { 'mesh.destination.service': 'reviews', 'http.response.status_code': 503 },
      ['reviews-errors', 'reviews', 'internal'],
    ],
    [
      'service with a 2xx',
      'shop',
      { 'mesh.destination.service': 'reviews', 'http.response.status_code': 200 },
      ['default', 'platform', 'internal'],
    ],
    ['exact path of a list', 'shop', { 'url.path': '/healthz' }, ['health', 'platform', 'public']],
    ['path glob of a list', 'shop', { 'url.path': '/ready/deep' }, ['health', 'platform', 'public']],
    [
      'first match wins (denial on a payments path)',
      'payments',
      { 'url.path': '/api/x', 'http.response.status_code': 401, 'mesh.source.principal': SPIFFE },
      ['denials', 'security', 'confidential'],
    ],
    ['nothing matches: the default', 'shop', {}, ['default', 'platform', 'internal']],
    ['a number is not a path', 'shop', { 'url.path': 7 }, ['default', 'platform', 'internal']],
  ] as const)('%s', (_name, namespace, attributes, want) => {
    expect(ruleFor(namespace, attributes as Attributes)).toEqual(want);
  });
});

describe('conditions', () => {
  const policy = loadPolicyText(
    `roles: { sre: { description: x } }
rules:
  - { name: ranged, match: { status: "500-504", direction: inbound }, tenant: a }
  - { name: classified, match: { classification: [restricted] }, tenant: b }
  - { name: labelled, match: { attributes: { envoy.route_name: "pay*" }, resource: { k8s.pod.label.team: payments } }, tenant: c }
  - { name: source, match: { source: [frontend, "web-*"], service: "*.internal" }, tenant: d }
default: { tenant: z, classification: internal, audience: [sre] }
`,
    '<test>',
  );
  if (!policy.ok) throw new Error(JSON.stringify(policy.errors));
  const s = compileRules(policy.policy);
  const tenant = (attributes: Attributes, resource: Attributes = {}) =>
    firstMatch(rulesFor(s, resource), s.fallback, attributes).tenant;

  it('matches status ranges inclusively, with the direction', () => {
    expect(tenant({ 'http.response.status_code': 504, 'mesh.direction': 'inbound' })).toBe('a');
    expect(tenant({ 'http.response.status_code': 505, 'mesh.direction': 'inbound' })).toBe('z');
    expect(tenant({ 'http.response.status_code': 500, 'mesh.direction': 'outbound' })).toBe('z');
  });

  it('matches an existing data.classification', () => {
    expect(tenant({ 'data.classification': 'restricted' })).toBe('b');
    expect(tenant({ 'data.classification': 'public' })).toBe('z');
  });

  it('matches any record attribute and any resource attribute (labels)', () => {
    const pod = { 'k8s.pod.label.team': 'payments' };
    expect(tenant({ 'envoy.route_name': 'payments-route' }, pod)).toBe('c');
    expect(tenant({ 'envoy.route_name': 'payments-route' }, {})).toBe('z');
    expect(tenant({ 'envoy.route_name': 'other' }, pod)).toBe('z');
  });

  it('matches exact values and globs in one list, suffix globs too', () => {
    expect(tenant({ 'mesh.source.workload': 'frontend', 'mesh.destination.service': 'db.internal' })).toBe(
      'd',
    );
    expect(tenant({ 'mesh.source.workload': 'web-7', 'mesh.destination.service': 'x.internal' })).toBe('d');
    expect(tenant({ 'mesh.source.workload': 'web-7', 'mesh.destination.service': 'x.external' })).toBe('z');
  });

  it('gives an unset assignment the default', () => {
    const o = firstMatch(rulesFor(s, {}), s.fallback, { 'data.classification': 'restricted' });
    expect([o.tenant, o.classification, o.audience]).toEqual(['b', 'internal', ['sre']]);
  });
});
