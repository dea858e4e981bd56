// A url.path as a route before anything counts it: the segments that are values, not names, become
// placeholders (`/api/reviews/8812` → `/api/reviews/{id}`). Stateless, so the worker part applies it;
// what rules cannot tell (slugs, names) the main part's template miner learns per destination.
const MAX_SEGMENTS = 8;
const MAX_SEGMENT = 64;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX = /^[0-9a-f]{8,}$/i;
const EMAIL = /^[^@]+@[^@]+\.[^@]+$/;
const TOKEN = /^[A-Za-z0-9_=.~-]{16,}$/;

function maskSegment(s: string): string {
  if (s === '') return s;
  if (s.includes('@') && EMAIL.test(s)) return '{email}';
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  if (digits === s.length || digits >= 3) return '{id}';
  if (UUID.test(s)) return '{id}';
  if (digits > 0 && (HEX.test(s) || TOKEN.test(s))) return '{id}';
  return s.length > MAX_SEGMENT ? '{id}' : s;
}

/** The path with its value segments masked, at most MAX_SEGMENTS deep (deeper ones become `{*}`). */
export function maskPath(path: string): string {
  const parts = path.split('/');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (i > MAX_SEGMENTS) {
      out.push('{*}');
      break;
    }
    out.push(maskSegment(parts[i] as string));
  }
  return out.join('/');
}
