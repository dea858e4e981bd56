// Decimal digits read in place: ports are read on every record, and a slice and Number() per value
// were garbage (bench/RESULTS.md, "Session 30: mesh_parse and anomaly").

/** The value of s[from, to) when it is 1 to `maxDigits` ASCII digits, else undefined. */
export function digitsIn(s: string, from: number, to: number, maxDigits: number): number | undefined {
  if (to <= from || to - from > maxDigits) return undefined;
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    n = n * 10 + c;
  }
  return n;
}
