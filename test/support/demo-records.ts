// The demo's Istio sidecar lines parsed by mesh_parse, one ResourceLogs per line with its pod as the
// resource: input for the processors that derive traces and metrics from access records.
import { type AccessLogFormat, ISTIO_AUDIT_FORMAT } from '../../agent/demo/access-log-line.ts';
import { createTraffic } from '../../agent/demo/istio-traffic.ts';
import type { ResourceLogs } from '../../agent/kit/record/record.ts';
import { rawRecord } from '../../agent/kit/worker/raw-decoder.ts';
import { meshParseConfig } from '../../processors/mesh_parse/config.ts';
import { createProcessor } from '../../processors/mesh_parse/worker.ts';
import { testContext } from './processor-context.ts';

/** As the demo configures mesh_parse: the audit format declared (it carries traceparent). */
export const MESH_PARSE = { formats: [{ name: 'istio_audit', format: ISTIO_AUDIT_FORMAT }] };

export function demoBatches(n: number, seed = 7, format: AccessLogFormat = 'istio'): ResourceLogs[] {
  const traffic = createTraffic({ seed, replicas: 1, format });
  const parse = createProcessor(meshParseConfig.parse(MESH_PARSE), testContext('mesh_parse'));
  const out: ResourceLogs[] = [];
  for (let i = 0; i < n; i++) {
    const l = traffic.next(1_760_000_000_000_000_000n + BigInt(i) * 1_000_000n);
    const batch: ResourceLogs = {
      resource: { 'k8s.pod.name': l.pod.name, 'k8s.namespace.name': l.pod.namespace },
      scope: { name: 't' },
      records: [rawRecord(l.line, 0n)],
    };
    parse(batch);
    out.push(batch);
  }
  return out;
}
