// ztunnel's access log (scope `access`): `connection complete` and friends with key=value pairs,
// quoted or not (istio/ztunnel src/proxy/metrics.rs writes them; examples in istio.io ambient docs).
// Labels come straight from the pairs: ztunnel already knows both workloads and identities.
import type { LogRecord } from '../../agent/kit/record/record.ts';
import { applyAccessFields } from './access-record.ts';
import { Fields } from './field-key.ts';

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
  const kv = readPairs(pairs);
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

const isKeyChar = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46;
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

/**
 * `key=value` and `key="quoted \"value\""` pairs in one left-to-right pass (a global regex rescans
 * a long run of key characters from each of its positions: quadratic). After a quote that never
 * closes, later values are read unquoted: the rest of the line is not ztunnel's.
 */
function readPairs(s: string): Record<string, string> {
  const kv: Record<string, string> = {};
  let pos = 0;
  let unclosed = false;
  for (let eq = s.indexOf('='); eq >= 0; eq = s.indexOf('=', pos)) {
    let k = eq;
    while (k > pos && isKeyChar(s.charCodeAt(k - 1))) k--;
    if (k === eq) {
      pos = eq + 1;
      continue;
    }
    let v = eq + 1;
    let value: string | undefined;
    if (s.charCodeAt(v) === 34 && !unclosed) {
      let i = v + 1;
      let out = '';
      let piece = i;
      for (; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c === 92 && i + 1 < s.length) {
          out += s.slice(piece, i);
          piece = ++i;
        } else if (c === 34) break;
      }
      if (i < s.length) {
        value = out + s.slice(piece, i);
        v = i + 1;
      } else unclosed = true;
    }
    if (value === undefined) {
      let e = v;
      while (e < s.length && !isSpace(s.charCodeAt(e))) e++;
      value = s.slice(v, e);
      v = e;
    }
    kv[s.slice(k, eq)] = value;
    pos = v;
  }
  return kv;
}
