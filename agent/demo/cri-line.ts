// containerd/CRI-O framing of one container log line, as the kubelet's log files hold it:
// `<RFC 3339 time with nanoseconds> <stream> F <line>`. The demo writes whole lines only (tag F).

export type LogStream = 'stdout' | 'stderr';

export function criWrap(line: string, timeNs: bigint, stream: LogStream = 'stdout'): string {
  return `${rfc3339Nano(timeNs)} ${stream} F ${line}`;
}

/** `2026-11-25T10:15:00.123456789Z`. */
export function rfc3339Nano(timeNs: bigint): string {
  const seconds = timeNs / 1_000_000_000n;
  const nanos = String(timeNs % 1_000_000_000n).padStart(9, '0');
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}.${nanos}Z`;
}

/** Envoy's own log time: `2026-11-25T10:15:00.123456Z`. */
export function rfc3339Micro(timeNs: bigint): string {
  return rfc3339Nano(timeNs).slice(0, 26) + 'Z';
}
