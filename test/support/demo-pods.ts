// The demo's Istio sidecar traffic (audit format: traceparent and x-request-id on every hop) written
// CRI-framed into a temporary pods directory the way the kubelet lays it out, with the counts the
// tests compare against: HTTP access records (as mesh_parse reads them) and those answered 5xx.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ISTIO_AUDIT_FORMAT } from '../../agent/demo/access-log-line.ts';
import { createTraffic, criWrap } from '../../agent/demo/istio-traffic.ts';
import type { LogRecord } from '../../agent/kit/record/record.ts';
import { rawRecord } from '../../agent/kit/worker/raw-decoder.ts';
import { meshParseConfig } from '../../processors/mesh_parse/config.ts';
import { createProcessor } from '../../processors/mesh_parse/worker.ts';
import { testContext } from './processor-context.ts';

/** mesh_parse's config for these lines, as YAML flow (the audit format declared, as the demo does). */
export const MESH_PARSE_YAML = `{ formats: [ { name: istio_audit, format: ${JSON.stringify(ISTIO_AUDIT_FORMAT)} } ] }`;

export interface WrittenTraffic {
  /** Glob of every pod's log file. */
  include: string;
  lines: number;
  /** HTTP access records (lines mesh_parse reads as a request with a status). */
  requests: number;
  /** Of those, answered with a 5xx. */
  errors5xx: number;
  /** Every parsed access record, with its pod. */
  records: { pod: string; record: LogRecord }[];
}

export function writeDemoPods(root: string, lines: number, seed = 11, startNs?: bigint): WrittenTraffic {
  const traffic = createTraffic({ seed, replicas: 1, format: 'istio_audit' });
  const parse = createProcessor(
    meshParseConfig.parse({ formats: [{ name: 'istio_audit', format: ISTIO_AUDIT_FORMAT }] }),
    testContext('mesh_parse'),
  );
  const files = new Map<string, string[]>();
  const out: WrittenTraffic = {
    include: join(root, '*/istio-proxy/0.log'),
    lines,
    requests: 0,
    errors5xx: 0,
    records: [],
  };
  const t0 = startNs ?? BigInt(Date.now() - 60_000) * 1_000_000n;
  for (let i = 0; i < lines; i++) {
    const t = t0 + BigInt(i) * 2_000_000n;
    const l = traffic.next(t);
    const dir = join(root, `${l.pod.namespace}_${l.pod.name}_${l.pod.uid}`, 'istio-proxy');
    const buf = files.get(dir) ?? [];
    files.set(dir, buf);
    buf.push(`${criWrap(l.line, t, l.stream)}\n`);
    const r = rawRecord(l.line, 0n);
    parse({
      resource: { 'k8s.pod.name': l.pod.name, 'k8s.namespace.name': l.pod.namespace },
      scope: { name: 't' },
      records: [r],
    });
    if (
      typeof r.attributes['http.request.method'] !== 'string' ||
      r.attributes['http.response.status_code'] === undefined
    )
      continue;
    out.requests++;
    if (Number(r.attributes['http.response.status_code']) >= 500) out.errors5xx++;
    out.records.push({ pod: l.pod.name, record: r });
  }
  for (const [dir, buf] of files) {
    mkdirSync(dir, { recursive: true });
    appendFileSync(join(dir, '0.log'), buf.join(''));
  }
  return out;
}
