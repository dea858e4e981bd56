// Every line the demo's Istio sidecars write parses: access lines to access records with who called
// whom, Envoy's operational lines to proxy records; only the lines the demo cuts short fail, and say so.

import { describe, expect, it } from 'vitest';
import { createTraffic } from '../../../../agent/demo/istio-traffic.ts';
import type { LogRecord } from '../../../../agent/kit/record/record.ts';
import { rawRecord } from '../../../../agent/kit/worker/raw-decoder.ts';
import { meshParseConfig } from '../../../../processors/mesh_parse/config.ts';
import { createProcessor } from '../../../../processors/mesh_parse/worker.ts';
import { testContext } from '../../../support/processor-context.ts';

describe('mesh_parse on the demo traffic', () => {
  const traffic = createTraffic({ seed: 42, replicas: 2 });
  const process = createProcessor(
    meshParseConfig.parse({ required: ['mesh.source.workload', 'mesh.destination.service'] }),
    testContext('mp'),
  );
  const kinds = new Map<string, number>();
  const errors: string[] = [];
  const records: LogRecord[] = [];
  for (let i = 0; i < 5000; i++) {
    const l = traffic.next(
      1_760_000_000_000_000_000n + BigInt(i) * 1_000_000n,
      i % 10 === 0 ? 'deny_storm' : 'normal',
    );
    const r = rawRecord(l.line, 0n);
    process({
      resource: { 'k8s.pod.name': l.pod.name, 'k8s.namespace.name': l.pod.namespace },
      scope: { name: 't' },
      records: [r],
    });
    const kind = String(r.attributes['meshtail.log.kind'] ?? 'error');
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    if (r.attributes['meshtail.parse.error'] !== undefined) errors.push(l.line);
    records.push(r);
  }

  it('parses every complete line', () => {
    expect(kinds.get('access')).toBeGreaterThan(4500);
    expect(kinds.get('proxy') ?? 0).toBeGreaterThan(0);
    // The demo truncates ~0.2% of lines (a crashed writer); those are the only failures.
    expect(errors.length).toBeLessThan(40);
  });

  it('says who called whom on every outbound and inbound sidecar hop', () => {
    const hops = records.filter((r) => r.attributes['envoy.upstream_cluster'] !== undefined);
    expect(hops.length).toBeGreaterThan(1000);
    for (const r of hops) {
      const a = r.attributes;
      expect(a['mesh.direction']).toMatch(/^(in|out)bound$/);
      expect(a['mesh.destination.service']).toMatch(/^(productpage|details|reviews|ratings)$/);
      const local =
        a['mesh.direction'] === 'inbound' ? a['mesh.destination.workload'] : a['mesh.source.workload'];
      expect(local).toMatch(/^(istio-ingressgateway|productpage-v1|details-v1|reviews-v[123]|ratings-v1)$/);
    }
  });

  it('names the RBAC policy of the denial storm', () => {
    const denied = records.filter((r) => r.attributes['meshtail.denial.cause'] === 'rbac');
    expect(denied.length).toBeGreaterThan(0);
    for (const r of denied) {
      expect(r.attributes['meshtail.denial.policy']).toBe('default/deny-ratings');
      expect(r.severityNumber).toBe(13);
    }
  });
});
