// RFC 3339 timestamps from container runtimes to Unix nanoseconds: containerd trims the fraction
// and writes `Z`; CRI-O writes 9 digits and `±hh:mm`; docker writes `Z` with 9 digits.
const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

export function parseRfc3339Nano(text: string): bigint | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  const fraction = m[2] ? BigInt(m[2].padEnd(9, '0')) : 0n;
  return BigInt(ms) * 1_000_000n + fraction;
}
