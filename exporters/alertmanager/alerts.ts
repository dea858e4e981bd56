// Anomaly log records (OTLP/JSON, event.name meshtail.anomaly.*) as Alertmanager API v2 alerts.
// Other records are ignored.
export interface Alert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  generatorURL?: string;
}

export interface AlertChange {
  /** Label fingerprint: the alert's identity in Alertmanager. */
  id: string;
  alert: Alert;
  resolved: boolean;
}

type JsonValue = {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number | string;
  boolValue?: boolean;
  arrayValue?: { values?: JsonValue[] };
};
type KeyValue = { key: string; value?: JsonValue };
interface JsonRecord {
  timeUnixNano?: string | number;
  severityNumber?: number;
  body?: JsonValue;
  attributes?: KeyValue[];
  eventName?: string;
}
interface LogsRequest {
  resourceLogs?: { scopeLogs?: { logRecords?: JsonRecord[] }[] }[];
}

const PREFIX = 'meshtail.anomaly.';

function text(v: JsonValue | undefined): string | undefined {
  if (!v) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return String(v.intValue);
  if (v.doubleValue !== undefined) return String(v.doubleValue);
  if (v.boolValue !== undefined) return String(v.boolValue);
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(text).join(', ');
  return undefined;
}

function isoFromNanos(ns: string | number | undefined): string {
  const ms = ns === undefined ? Date.now() : Number(BigInt(ns) / 1_000_000n);
  return new Date(ms).toISOString();
}

export function alertsFromLogsJson(body: Uint8Array): AlertChange[] {
  const request = JSON.parse(Buffer.from(body).toString('utf8')) as LogsRequest;
  const out: AlertChange[] = [];
  for (const rl of request.resourceLogs ?? []) {
    for (const sl of rl.scopeLogs ?? []) {
      for (const r of sl.logRecords ?? []) {
        const change = alertOf(r);
        if (change) out.push(change);
      }
    }
  }
  return out;
}

function alertOf(r: JsonRecord): AlertChange | undefined {
  const attrs = new Map<string, JsonValue | undefined>();
  for (const kv of r.attributes ?? []) attrs.set(kv.key, kv.value);
  const name = text(attrs.get('event.name')) ?? r.eventName;
  if (!name?.startsWith(PREFIX)) return undefined;
  const kind = name.slice(PREFIX.length);
  const labels: Record<string, string> = {
    alertname: `meshtail_anomaly_${kind}`,
    severity: (r.severityNumber ?? 0) >= 17 ? 'critical' : 'warning',
  };
  const put = (label: string, attr: string) => {
    const v = text(attrs.get(attr));
    if (v) labels[label] = v;
  };
  put('namespace', 'k8s.namespace.name');
  put('service', 'mesh.destination.service');
  put('source', 'mesh.source.workload');
  put('scope', 'meshtail.anomaly.scope');
  const annotations: Record<string, string> = {};
  const summary = text(r.body);
  if (summary) annotations.summary = summary;
  for (const a of [
    'observed',
    'baseline',
    'score',
    'top_sources',
    'request_ids',
    'template',
    'pods',
    'sample',
  ]) {
    const v = text(attrs.get(`meshtail.anomaly.${a}`));
    if (v) annotations[a] = v;
  }
  const resolved = text(attrs.get('meshtail.anomaly.state')) === 'resolved';
  const started = text(attrs.get('meshtail.anomaly.start_time_unix_nano'));
  const alert: Alert = { labels, annotations, startsAt: isoFromNanos(started ?? r.timeUnixNano) };
  if (resolved) alert.endsAt = isoFromNanos(r.timeUnixNano);
  return { id: fingerprint(labels), alert, resolved };
}

function fingerprint(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}
