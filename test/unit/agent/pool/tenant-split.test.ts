import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../../../agent/kit/record/record.ts';
import { splitByTenant } from '../../../../agent/pool/tenant-split.ts';

const rec = (attributes: LogRecord['attributes']): LogRecord => ({
  timeUnixNano: 0n,
  observedTimeUnixNano: 0n,
  severityNumber: 9,
  severityText: '',
  body: 'x',
  attributes,
});

describe('splitByTenant', () => {
  it('keeps a batch without access attributes whole, resource untouched', () => {
    const batch = { resource: { a: 1 }, scope: { name: 'm' }, records: [rec({}), rec({})] };
    expect(splitByTenant(batch)).toEqual([{ batch }]);
  });

  it('groups by tenant, classification and audience, and promotes them to each part resource', () => {
    const full = {
      'meshtail.tenant': 'acme',
      'data.classification': 'confidential',
      'meshtail.audience': ['sre'],
    };
    const agg = {
      'meshtail.tenant': 'mgmt',
      'data.classification': 'internal',
      'meshtail.audience': ['manager'],
    };
    const batch = {
      resource: { 'k8s.namespace.name': 'shop' },
      scope: { name: 'm' },
      records: [rec(full), rec(agg), rec(full), rec({})],
    };
    const parts = splitByTenant(batch);
    expect(parts.map((p) => [p.tenant, p.batch.records.length])).toEqual([
      ['acme', 2],
      ['mgmt', 1],
      [undefined, 1],
    ]);
    expect(parts[0]!.batch.resource).toEqual({
      'k8s.namespace.name': 'shop',
      'meshtail.tenant': 'acme',
      'data.classification': 'confidential',
      'meshtail.audience': 'sre',
    });
    expect(parts[2]!.batch.resource).toEqual({ 'k8s.namespace.name': 'shop' });
    expect(batch.resource).toEqual({ 'k8s.namespace.name': 'shop' });
  });

  it('splits one tenant with two classifications into two parts with the same tenant', () => {
    const batch = {
      resource: {},
      scope: { name: 'm' },
      records: [
        rec({ 'meshtail.tenant': 't', 'data.classification': 'public' }),
        rec({ 'meshtail.tenant': 't', 'data.classification': 'restricted' }),
      ],
    };
    const parts = splitByTenant(batch);
    expect(parts.map((p) => [p.tenant, p.batch.resource['data.classification']])).toEqual([
      ['t', 'public'],
      ['t', 'restricted'],
    ]);
  });
});
