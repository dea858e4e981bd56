// Linkerd's proxy output: the HTTP access log (`config.linkerd.io/access-log: apache | json`, written by
// the inbound side, so always inbound; examples in linkerd.io/2/features/access-logging) and the
// proxy's own tracing log, text (`[   0.002s]  INFO ThreadId(01) <spans>: <target>: <message>`) or
// JSON (tracing-subscriber's `{"timestamp","level","fields":{"message"},"target",...}`).
import type { LogRecord } from '../../agent/kit/record/record.ts';
import { applyAccessFields } from './access-record.ts';
import { Fields } from './field-key.ts';
import { setSeverity } from './severity.ts';
import { parseTimestampNs } from './timestamp.ts';

const APACHE = /^(\S+) (\S+) (\S+) \[([^\]]+)\] "(\S+) (.*?) (\S+)" (\d{3})(?: (\d+|-))?$/;
// The head only: the target (`linkerd_app::inbound: `) is found by targetAt, because a lazy
// `(.*?)<target>: ` rescans a long identifier from every position (quadratic, bench/RESULTS.md).
const TEXT_HEAD = /^\[\s*(\d+(?:\.\d+)?)s\]\s+(TRACE|DEBUG|INFO|WARN|ERROR)\s+(?:ThreadId\(\d+\)\s+)?/;

/** `http://webapp:7000/authors?x=1` → `/authors?x=1`; origin-form paths unchanged. */
function pathOf(uri: string): string {
  const scheme = uri.indexOf('://');
  if (scheme < 0) return uri;
  const slash = uri.indexOf('/', scheme + 3);
  return slash < 0 ? '/' : uri.slice(slash);
}

export function parseLinkerdApache(r: LogRecord, line: string): Fields | undefined {
  const m = APACHE.exec(line);
  if (!m) return undefined;
  const f = new Fields();
  f.direction = 'inbound';
  f.downstream_remote = m[1];
  f.client_id = m[2] === '-' ? undefined : m[2];
  f.start_time = m[4];
  f.method = m[5];
  f.path = pathOf(m[6]!);
  f.protocol = m[7];
  f.code = m[8];
  f.bytes_sent = m[9];
  applyAccessFields(r, f, 'linkerd_apache');
  if (m[3] !== '-') r.attributes['linkerd.user'] = m[3]!;
  return f;
}

export function isLinkerdJsonAccess(o: Record<string, unknown>): boolean {
  return 'client.addr' in o && 'uri' in o;
}

export function applyLinkerdJsonAccess(r: LogRecord, o: Record<string, unknown>): Fields {
  const totalNs = Number(o.total_ns);
  const f = new Fields();
  f.direction = 'inbound';
  f.downstream_remote = o['client.addr'];
  f.client_id = o['client.id'] === '-' ? undefined : o['client.id'];
  f.authority = o.host;
  f.method = o.method;
  f.path = typeof o.uri === 'string' ? pathOf(o.uri) : undefined;
  f.protocol = o.version;
  f.code = o.status;
  f.bytes_received = o.request_bytes;
  f.bytes_sent = o.response_bytes;
  f.start_time = o.timestamp;
  f.user_agent = o.user_agent;
  f.duration = Number.isFinite(totalNs) && o.total_ns !== '' ? totalNs / 1e6 : undefined;
  if (o.trace_id) f.extra = new Map([['req:x-b3-traceid', o.trace_id]]);
  applyAccessFields(r, f, 'linkerd_json');
  const processing = Number(o.processing_ns);
  if (o.processing_ns !== '' && Number.isFinite(processing))
    r.attributes['linkerd.processing_ns'] = processing;
  return f;
}

export function parseLinkerdText(r: LogRecord, line: string): boolean {
  const m = TEXT_HEAD.exec(line);
  if (!m) return false;
  const at = m[0].length;
  const target = targetAt(line, at);
  if (!target) return false;
  setSeverity(r, m[2]!);
  const a = r.attributes;
  a['meshtail.log.kind'] = 'proxy';
  a['meshtail.log.format'] = 'linkerd_log';
  a['meshtail.log.scope'] = line.slice(target[0], target[1]);
  const spans = line.slice(at, target[0]).trim().replace(/:$/, '');
  if (spans) a['linkerd.spans'] = spans;
  a['linkerd.uptime_s'] = Number(m[1]);
  a['meshtail.log.message'] = line.slice(target[1] + 2);
  return true;
}

const isWord = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95; // [a-z0-9_]
const isLower = (c: number) => c >= 97 && c <= 122;

/**
 * [start, end) of the first tracing target (`[a-z][a-z0-9_]*(::[a-z0-9_]+)*`) followed by `: `,
 * starting as far left as possible: what `(.*?)<target>: ` matches, in one pass. For each `: ` the
 * walk back stays within the run of target characters before it, which holds no `: `, so the
 * runs walked are disjoint.
 */
function targetAt(line: string, from: number): [number, number] | undefined {
  for (let j = line.indexOf(': ', from); j >= 0; j = line.indexOf(': ', j + 1)) {
    let best = -1;
    let k = j;
    for (;;) {
      let b = k;
      while (b > from && isWord(line.charCodeAt(b - 1))) b--;
      if (b === k) break;
      for (let i = b; i < k; i++) {
        if (isLower(line.charCodeAt(i))) {
          best = i;
          break;
        }
      }
      if (b - 2 < from || line.charCodeAt(b - 1) !== 58 || line.charCodeAt(b - 2) !== 58) break;
      k = b - 2;
    }
    if (best >= 0) return [best, j];
  }
  return undefined;
}

export function isLinkerdJsonLog(o: Record<string, unknown>): boolean {
  return typeof o.level === 'string' && (typeof o.target === 'string' || typeof o.fields === 'object');
}

export function applyLinkerdJsonLog(r: LogRecord, o: Record<string, unknown>): void {
  setSeverity(r, o.level as string);
  const a = r.attributes;
  a['meshtail.log.kind'] = 'proxy';
  a['meshtail.log.format'] = 'linkerd_log_json';
  if (typeof o.target === 'string') a['meshtail.log.scope'] = o.target;
  const t = typeof o.timestamp === 'string' ? parseTimestampNs(o.timestamp) : undefined;
  if (t !== undefined) r.timeUnixNano = t;
  const fields = (o.fields ?? {}) as Record<string, unknown>;
  const message = fields.message ?? o.message;
  if (typeof message === 'string') a['meshtail.log.message'] = message;
}
