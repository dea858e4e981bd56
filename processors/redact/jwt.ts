// JWTs (JWS compact and the first part of JWE) are recognised by their header, not their shape:
// many base64url strings have dots in them. The header segment must decode to a JSON object with a
// string `alg` (RFC 7515 §4.1.1, RFC 7516 §4.1.1).

const SEGMENT = /^[A-Za-z0-9_-]+$/;

/** True when `token` is `header.payload.signature[...]` with a JOSE header. */
export function isJwt(token: string): boolean {
  const dot = token.indexOf('.');
  if (dot < 10 || token.indexOf('.', dot + 1) < 0) return false;
  return typeof jsonObjectOf(token.slice(0, dot))?.alg === 'string';
}

/** The JSON object a base64url segment decodes to, or undefined (claims headers are such segments). */
export function jsonObjectOf(segment: string): Record<string, unknown> | undefined {
  if (!SEGMENT.test(segment)) return undefined;
  const text = Buffer.from(segment, 'base64url').toString('utf8');
  if (text.charCodeAt(0) !== 123) return undefined; // '{'
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
