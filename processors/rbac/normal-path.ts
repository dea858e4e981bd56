// The path as the proxy routes it, for rule matching: RFC 3986 6.2.2 normalisation, what Envoy's
// normalize_path and merge_slashes do: percent-encoded unreserved characters decoded (`%61` → `a`,
// `%2e` → `.`), other escapes upper-cased, dot segments removed, runs of slashes merged. The query
// is not part of url.path. The record keeps the raw path; only matching sees this one.

const NEEDS_WORK = /%|\/\/|\/\.|^\.|\\/;

// Several rules test one record's path in a row: the last answer is kept (bench/RESULTS.md, rbac).
let lastRaw: string | undefined;
let lastNormal = '';

/** The normalised path; the input itself when nothing needs changing (the common case). */
export function normalPath(raw: string): string {
  if (raw === lastRaw) return lastNormal;
  lastRaw = raw;
  lastNormal = NEEDS_WORK.test(raw) ? mergeSlashes(removeDotSegments(decodeUnreserved(raw))) : raw;
  return lastNormal;
}

/**
 * The path as an application that also decodes `%2F` and `%5C` and treats `\` as `/` would see it
 * (Envoy keeps them by default: path_with_escaped_slashes_action), or undefined when it has none.
 */
export function slashVariant(raw: string): string | undefined {
  if (!/%2f|%5c|\\/i.test(raw)) return undefined;
  return normalPath(raw.replace(/%2f|%5c|\\/gi, '/'));
}

const HEX = /%([0-9a-fA-F]{2})/g;

function decodeUnreserved(s: string): string {
  if (!s.includes('%')) return s;
  return s.replace(HEX, (encoded, hex: string) => {
    const c = Number.parseInt(hex, 16);
    const unreserved =
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x2d ||
      c === 0x2e ||
      c === 0x5f ||
      c === 0x7e;
    return unreserved ? String.fromCharCode(c) : encoded.toUpperCase();
  });
}

/** RFC 3986 5.2.4 over segments: `.` dropped, `..` drops the segment before it (never the root). */
function removeDotSegments(path: string): string {
  if (!path.includes('.')) return path;
  const absolute = path.startsWith('/');
  const input = (absolute ? path.slice(1) : path).split('/');
  const out: string[] = [];
  for (let i = 0; i < input.length; i++) {
    const seg = input[i]!;
    const last = i === input.length - 1;
    if (seg === '.' || seg === '..') {
      if (seg === '..') out.pop();
      // A trailing dot segment leaves the directory: `/a/b/..` → `/a/`.
      if (last) out.push('');
      continue;
    }
    out.push(seg);
  }
  return (absolute ? '/' : '') + out.join('/');
}

function mergeSlashes(path: string): string {
  return path.includes('//') ? path.replace(/\/{2,}/g, '/') : path;
}
