// The proxies' own log lines in the access-log stream: Istio's pilot-agent and ztunnel (and Envoy
// under pilot-agent) write `<time>\t<level>\t<scope>\t<message>[\t<key=value ...>]`, plain Envoy
// writes `[<time>][<thread>][<level>][<logger>] [<file:line>] <message>`. ztunnel's `access` scope
// is its L4 access log: those lines become access records (ztunnel-access.ts).
import type { LogRecord } from '../../agent/kit/record/record.ts';
import { setSeverity } from './severity.ts';
import { parseTimestampNs } from './timestamp.ts';

const ENVOY =
  /^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+)\]\[(\d+)\]\[(\w+)\]\[([^\]]*)\] (?:\[([^\]]+):(\d+)\] )?(.*)$/s;
const SOURCE = /^(\S+\.(?:cc|h|go|rs)):(\d+)$/;

export interface TabLine {
  time: bigint;
  scope: string;
  message: string;
  /** `key=value` pairs after the message, still as text. */
  rest: string[];
}

/** Splits a tab-separated proxy line and sets time, severity and scope; undefined if it is not one. */
export function parseTabLine(r: LogRecord, line: string): TabLine | undefined {
  const parts = line.split('\t');
  if (parts.length < 3) return undefined;
  const time = parseTimestampNs(parts[0]!);
  if (time === undefined || !setSeverity(r, parts[1]!)) return undefined;
  r.timeUnixNano = time;
  // pilot-agent's default scope prints no scope column: `<time>\tinfo\tFLAG: --x`.
  const scoped = parts.length > 3;
  const scope = scoped ? parts[2]! : 'default';
  let i = scoped ? 3 : 2;
  const a = r.attributes;
  if (scope.startsWith('envoy ')) {
    const src = SOURCE.exec(parts[i] ?? '');
    if (src) {
      a['code.file.path'] = src[1]!;
      a['code.line.number'] = Number(src[2]);
      i++;
    }
  }
  const message = parts[i] ?? '';
  const rest = parts.slice(i + 1);
  const last = rest[rest.length - 1];
  if (last?.startsWith('thread=')) {
    a['thread.id'] = Number(last.slice(7));
    rest.pop();
  }
  return { time, scope, message, rest };
}

export function applyProxyLine(r: LogRecord, t: TabLine, format: string): void {
  const a = r.attributes;
  a['meshtail.log.kind'] = 'proxy';
  a['meshtail.log.format'] = format;
  a['meshtail.log.scope'] = t.scope;
  a['meshtail.log.message'] = t.rest.length > 0 ? `${t.message}\t${t.rest.join('\t')}` : t.message;
}

/** Envoy's default application log format (`--log-format`, "[%Y-%m-%d %T.%e][%t][%l][%n] [%g:%#] %v"). */
export function parseEnvoyLogLine(r: LogRecord, line: string): boolean {
  const m = ENVOY.exec(line);
  if (!m || !setSeverity(r, m[3]!)) return false;
  const t = parseTimestampNs(m[1]!);
  if (t !== undefined) r.timeUnixNano = t;
  const a = r.attributes;
  a['meshtail.log.kind'] = 'proxy';
  a['meshtail.log.format'] = 'envoy_log';
  a['meshtail.log.scope'] = m[4]!;
  a['thread.id'] = Number(m[2]);
  if (m[5]) {
    a['code.file.path'] = m[5];
    a['code.line.number'] = Number(m[6]);
  }
  a['meshtail.log.message'] = m[7]!;
  return true;
}
