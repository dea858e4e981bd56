// containerd/CRI-O framing of one container log line, as the kubelet's log files hold it:
// `<RFC 3339 time with nanoseconds> <stream> F <line>`. The demo writes whole lines only (tag F).

export type LogStream = 'stdout' | 'stderr';

export function criWrap(line: string, timeNs: bigint, stream: LogStream = 'stdout'): string {
  return `${rfc3339Nano(timeNs)} ${stream} F ${line}`;
}

/** Go's RFC3339Nano, as containerd writes it: `2026-11-25T10:15:00.123456789Z`, trailing zeros trimmed. */
export function rfc3339Nano(timeNs: bigint): string {
  const nanos = String(timeNs % 1_000_000_000n)
    .padStart(9, '0')
    .replace(/0+$/, '');
  return `${isoSeconds(timeNs)}${nanos ? `.${nanos}` : ''}Z`;
}

/** Envoy's own log time, always six digits: `2026-11-25T10:15:00.123456Z`. */
export function rfc3339Micro(timeNs: bigint): string {
  const micros = String((timeNs % 1_000_000_000n) / 1000n).padStart(6, '0');
  return `${isoSeconds(timeNs)}.${micros}Z`;
}

function isoSeconds(timeNs: bigint): string {
  return new Date(Number(timeNs / 1_000_000_000n) * 1000).toISOString().slice(0, 19);
}
