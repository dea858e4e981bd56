// RFC 3339 timestamps from container runtimes to Unix nanoseconds: containerd trims the fraction
// and writes `Z`; CRI-O writes 9 digits and `±hh:mm`; docker writes `Z` with 9 digits.
const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** `text[start, end)` as Unix nanoseconds; undefined when it is not an RFC 3339 timestamp. */
export function parseRfc3339Nano(text: string, start = 0, end = text.length): bigint | undefined {
  const quick = quickParse(text, start, end);
  if (quick !== undefined) return quick;
  const m = RFC3339.exec(start === 0 && end === text.length ? text : text.slice(start, end));
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  const fraction = m[2] ? BigInt(m[2].padEnd(9, '0')) : 0n;
  return BigInt(ms) * 1_000_000n + fraction;
}

// The quick path of the worker's hot loop, one call per CRI line: digits read in place, the
// second's nanoseconds kept from the line before (lines of a batch share their second), instead of
// a regex, a string built for Date.parse and a BigInt made from the fraction's text
// (bench/cri-decode.bench.ts). Anything unusual (a day past the 28th, a year before 1000, an offset of 24 hours) is
// left to the path above, which is the reference.
let lastSecondMs = Number.NaN;
let lastSecondNs = 0n;

function quickParse(s: string, at: number, end: number): bigint | undefined {
  const len = end - at;
  if (len < 20) return undefined;
  const year = digits(s, at, 4);
  const month = digits(s, at + 5, 2);
  const day = digits(s, at + 8, 2);
  const hour = digits(s, at + 11, 2);
  const minute = digits(s, at + 14, 2);
  const second = digits(s, at + 17, 2);
  if (
    s.charCodeAt(at + 4) !== 45 || // -
    s.charCodeAt(at + 7) !== 45 ||
    s.charCodeAt(at + 10) !== 84 || // T
    s.charCodeAt(at + 13) !== 58 || // :
    s.charCodeAt(at + 16) !== 58 ||
    year < 1000 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 28 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59
  )
    return undefined;
  let p = at + 19;
  let fraction = 0;
  if (s.charCodeAt(p) === 46) {
    // .
    let n = 0;
    for (p++; p < end && n < 10; p++, n++) {
      const d = s.charCodeAt(p) - 48;
      if (!(d >= 0 && d <= 9)) break;
      fraction = fraction * 10 + d;
    }
    if (n === 0 || n > 9) return undefined;
    fraction *= 10 ** (9 - n);
  }
  let offsetMs = 0;
  const zone = s.charCodeAt(p);
  if (zone === 90 && p + 1 === end) {
    // Z
  } else if ((zone === 43 || zone === 45) && p + 6 === end && s.charCodeAt(p + 3) === 58) {
    const oh = digits(s, p + 1, 2);
    const om = digits(s, p + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return undefined;
    offsetMs = (zone === 43 ? 1 : -1) * (oh * 60 + om) * 60_000;
  } else {
    return undefined;
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMs;
  if (ms !== lastSecondMs) {
    lastSecondMs = ms;
    lastSecondNs = BigInt(ms) * 1_000_000n;
  }
  return fraction === 0 ? lastSecondNs : lastSecondNs + BigInt(fraction);
}

/** The decimal number of `n` digits at `at`; -1 when one is not a digit. */
function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return -1; // NaN past the end too
    v = v * 10 + d;
  }
  return v;
}
