// The rbac worker on whole batches: tenants and access attributes assigned, role views' aggregate
// records (counts, error ratio, latency histogram, nothing per request), resource promotion, counts.
import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../../../agent/kit/record/record.ts';
import { splitByTenant } from '../../../../agent/pool/tenant-split.ts';
import { DURATION_BOUNDS } from '../../../../processors/rbac/role-view.ts';
import { access, batchOf, rbac } from './records.ts';

const payments = (path: string, status: number, ms: number, source = 'frontend', user = 'alice') =>
  access({
    'url.path': path,
    'http.response.status_code': status,
    'envoy.duration_ms': ms,
    'mesh.source.workload': source,
    'mesh.destination.service': 'payments',
    'user.id': user,
    'client.address': '10.0.0.7',
  });

const aggregates = (records: LogRecord[]) => records.filter((r) => r.eventName === 'meshtail.aggregate');

describe('rbac worker', () => {
  it('assigns tenant, classification and audience to every record', () => {
    const { process } = rbac();
    const b = batchOf('shop', [access({ 'url.path': '/healthz' }), access({ 'url.path': '/x' })]);
    process(b);
    expect(b.records.map((r) => r.attributes['meshtail.tenant'])).toEqual(['platform', 'platform']);
    expect(b.records.map((r) => r.attributes['data.classification'])).toEqual(['public', 'internal']);
    expect(b.records[1]!.attributes['meshtail.audience']).toEqual(['sre']);
  });

  it('gives the aggregate-only audience one record per (tenant, source, destination), nothing per request', () => {
    const { process, counts } = rbac();
    const b = batchOf('payments', [
      payments('/api/charge', 200, 3),
      payments('/api/charge', 500, 12000, 'checkout'),
      payments('/api/charge', 503, 40),
      payments('/api/refund', 200, 700, 'frontend', 'bob'),
    ]);
    process(b);
    const full = b.records.filter((r) => r.eventName === undefined);
    expect(full.map((r) => r.attributes['meshtail.tenant'])).toEqual([
      'payments',
      'payments',
      'payments',
      'payments',
    ]);
    expect(full[0]!.attributes['meshtail.audience']).toEqual(['sre', 'team:payments']);

    const agg = aggregates(b.records);
    expect(agg.map((r) => r.attributes['mesh.source.workload'])).toEqual(['frontend', 'checkout']);
    const [frontend, checkout] = agg.map((r) => r.attributes);
    expect(frontend).toMatchObject({
      'event.name': 'meshtail.aggregate',
      'meshtail.tenant': 'management',
      'meshtail.audience': ['manager'],
      'data.classification': 'internal',
      'mesh.destination.service': 'payments',
      'meshtail.aggregate.count': 3,
      'meshtail.aggregate.errors': 1,
      'meshtail.aggregate.error_ratio': 1 / 3,
      'meshtail.aggregate.duration_ms.bounds': DURATION_BOUNDS,
      'meshtail.aggregate.duration_ms.counts': [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0],
      'meshtail.aggregate.duration_ms.sum': 743,
    });
    expect(checkout!['meshtail.aggregate.duration_ms.counts']).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(checkout!['meshtail.aggregate.error_ratio']).toBe(1);
    for (const r of agg) {
      for (const key of [
        'url.path',
        'user.id',
        'client.address',
        'http.response.status_code',
        'envoy.duration_ms',
      ])
        expect(r.attributes).not.toHaveProperty(key);
      expect(String(r.body)).not.toMatch(/\/api|alice|bob|10\.0\.0\.7/);
      expect(r.timeUnixNano).toBe(1n);
    }
    expect(Object.fromEntries(counts)).toEqual({
      'tenant.payments': 4,
      'classification.restricted': 4,
      aggregate: 2,
    });
  });

  it('routes full records and aggregates as separate tenants (one request each)', () => {
    const { process } = rbac();
    const b = batchOf('payments', [payments('/api/a', 200, 1), payments('/api/b', 200, 1)]);
    process(b);
    const parts = splitByTenant(b).map((p) => [p.tenant, p.batch.records.length]);
    expect(parts).toEqual([
      ['payments', 2],
      ['management', 1],
    ]);
  });

  it('promotes access attributes that hold for the whole batch to the resource', () => {
    const { process } = rbac();
    const uniform = batchOf('shop', [access({ 'url.path': '/a' }), access({ 'url.path': '/b' })]);
    const before = uniform.resource;
    process(uniform);
    expect(uniform.resource).toEqual({
      'k8s.namespace.name': 'shop',
      'meshtail.tenant': 'platform',
      'data.classification': 'internal',
      'meshtail.audience': 'sre',
    });
    expect(before).toEqual({ 'k8s.namespace.name': 'shop' }); // a copy: a retried task starts clean

    const mixed = batchOf('shop', [access({ 'url.path': '/healthz' }), access({ 'url.path': '/b' })]);
    process(mixed);
    expect(mixed.resource).toEqual({
      'k8s.namespace.name': 'shop',
      'meshtail.tenant': 'platform',
      'meshtail.audience': 'sre',
    });
  });

  it('overwrites a tenant set upstream: the policy decides', () => {
    const { process } = rbac();
    const b = batchOf('shop', [access({ 'meshtail.tenant': 'forged' })]);
    process(b);
    expect(b.records[0]!.attributes['meshtail.tenant']).toBe('platform');
  });

  it('handles an empty batch', () => {
    const { process, counts } = rbac();
    const b = batchOf('shop', []);
    process(b);
    expect(b.records).toEqual([]);
    expect(counts.size).toBe(0);
  });
});
