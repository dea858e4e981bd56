// A proxy's operational message as a signature before anything counts it: tokens that carry values
// (anything with a digit: addresses, ports, ids, durations, status codes; emails; long tokens)
// become `{*}`, so one exception is one signature and the sample carries no value in clear.
const MAX_TOKENS = 40;
const MAX_TOKEN = 32;
const TRAILING = /[,;:)\]}'"]+$/;

export function maskMessage(message: string): string {
  const tokens = message.split(/\s+/).filter((t) => t !== '');
  const out: string[] = [];
  for (const token of tokens.slice(0, MAX_TOKENS)) {
    const trail = TRAILING.exec(token)?.[0] ?? '';
    const core = trail ? token.slice(0, -trail.length) : token;
    out.push((valueLike(core) ? '{*}' : core) + trail);
  }
  if (tokens.length > MAX_TOKENS) out.push('{*}');
  return out.join(' ');
}

function valueLike(t: string): boolean {
  if (t.length > MAX_TOKEN || t.includes('@')) return true;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}
