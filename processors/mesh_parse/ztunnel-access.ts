// ztunnel's access log (scope `access`): `connection complete` and friends with key=value pairs,
// quoted or not (istio/ztunnel src/proxy/metrics.rs writes them; examples in istio.io ambient docs).
// Labels come straight from the pairs: ztunnel already knows both workloads and identities.
import type { LogRecord } from '../../agent/kit/record/record.ts';
import { applyAccessFields } from './access-record.ts';
import { Fields } from './field-key.ts';

const PAIR = /([\w.]+)=("(?:[^"\\]|\\.)*"|\S*)/g;

const LABELS: Record<string, string> = {
  'src.workload': 'mesh.source.workload',
  'src.namespace': 'mesh.source.namespace',
  'src.identity': 'mesh.source.principal',
  'dst.workload': 'mesh.destination.workload',
  'dst.namespace': 'mesh.destination.namespace',
  'dst.identity': 'mesh.destination.principal',
  error: 'meshtail.ztunnel.error',
};

export function applyZtunnelAccess(r: LogRecord, message: string, pairs: string): Fields {
  const severity = [r.severityNumber, r.severityText] as const;
  const kv: Record<string, string> = {};
  for (const m of pairs.matchAll(PAIR)) {
    const v = m[2]!;
    kv[m[1]!] = v.startsWith('"') ? v.slice(1, -1).replace(/\\(.)/g, '$1') : v;
  }
  const f = new Fields();
  f.direction = kv.direction;
  f.downstream_remote = kv['src.addr'];
  // dst.addr is the peer's HBONE port (15008); dst.hbone_addr the app behind it, when an address.
  f.upstream_host = /^[\d[]/.test(kv['dst.hbone_addr'] ?? '') ? kv['dst.hbone_addr'] : kv['dst.addr'];
  f.bytes_sent = kv.bytes_sent;
  f.bytes_received = kv.bytes_recv;
  f.duration = kv.duration?.endsWith('ms') ? kv.duration.slice(0, -2) : undefined;

  applyAccessFields(r, f, 'ztunnel');
  const a = r.attributes;
  a['meshtail.log.scope'] = 'access';
  a['meshtail.log.message'] = message;
  const svc = kv['dst.service'];
  if (svc) a['mesh.destination.service'] = svc.split('.')[0]!;
  for (const key in LABELS) if (kv[key]) a[LABELS[key]!] = kv[key];
  // ztunnel's own level says whether the connection failed (policy rejections log at error).
  r.severityNumber = severity[0];
  r.severityText = severity[1];
  return f;
}
