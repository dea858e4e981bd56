// RFC 3339 timestamps as proxies print them (Envoy's START_TIME `2016-04-15T20:17:00.310Z`, Istio's
// and ztunnel's microseconds, Linkerd's nanoseconds, an offset instead of Z, or Envoy's own log
// `2024-03-01 12:00:00.123` in UTC) to Unix nanoseconds, without Date parsing or a regex per line.

const d = (s: string, i: number): number => s.charCodeAt(i) - 48;
const two = (s: string, i: number): number => d(s, i) * 10 + d(s, i + 1);

export function parseTimestampNs(s: string): bigint | undefined {
  if (s.length < 19 || s[4] !== '-' || s[7] !== '-' || s[13] !== ':' || s[16] !== ':') return undefined;
  if (s[10] !== 'T' && s[10] !== ' ' && s[10] !== 't') return undefined;
  let ms = wallMs(s);
  if (Number.isNaN(ms)) return undefined;
  let i = 19;
  let frac = 0;
  let digits = 0;
  if (s[i] === '.' || s[i] === ',') {
    for (i++; i < s.length; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      if (digits < 9) {
        frac = frac * 10 + c;
        digits++;
      }
    }
  }
  for (; digits < 9; digits++) frac *= 10;
  const zone = s[i];
  if (zone === '+' || zone === '-') {
    const offset = (two(s, i + 1) * 60 + two(s, s[i + 3] === ':' ? i + 4 : i + 3)) * 60_000;
    if (Number.isNaN(offset)) return undefined;
    ms += zone === '+' ? -offset : offset;
  } else if (zone !== undefined && zone !== 'Z' && zone !== 'z') return undefined;
  if (ms !== lastMs) {
    lastMs = ms;
    lastMsNs = BigInt(ms) * 1_000_000n;
  }
  // Envoy prints milliseconds: the whole time is the millisecond's, shared (bigints are immutable).
  return frac === 0 ? lastMsNs : lastMsNs + BigInt(frac);
}

// The last millisecond and day seen: lines of one file come in time order, many to a millisecond
// and all of a day to one Date.UTC call; the per-line Date.UTC and three bigints were ~7 % of
// mesh_parse (bench/RESULTS.md, session 30).
let lastMs = Number.NaN;
let lastMsNs = 0n;
let lastDay = -1;
let lastDayMs = 0;

/** Date.UTC of the first 19 characters; a day's start computed once while its digits repeat. */
function wallMs(s: string): number {
  const year = two(s, 0) * 100 + two(s, 2);
  const month = two(s, 5);
  const day = two(s, 8);
  const h = two(s, 11);
  const m = two(s, 14);
  const sec = two(s, 17);
  // Only plain digits take the cached path: anything else goes to Date.UTC as it is.
  if (!digits(s)) return Date.UTC(year, month - 1, day, h, m, sec);
  const key = year * 10_000 + month * 100 + day;
  if (key !== lastDay) {
    lastDayMs = Date.UTC(year, month - 1, day);
    lastDay = key;
  }
  // Date.UTC's MakeTime and MakeDate: the day's milliseconds plus the time's, out-of-range fields included.
  return lastDayMs + h * 3_600_000 + m * 60_000 + sec * 1000;
}

const DIGIT_AT = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
function digits(s: string): boolean {
  for (let k = 0; k < DIGIT_AT.length; k++) {
    const c = s.charCodeAt(DIGIT_AT[k]!);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
