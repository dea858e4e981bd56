// Socket addresses as Envoy prints them: `10.0.0.1:8080`, `[2001:db8::1]:8080`, a bare IPv6 address,
// or a pipe/internal address (`envoy://internal_client_address/`), which has no IP to give.

/** The host part, brackets removed; undefined for non-IP addresses. */
export function hostOf(s: string): string | undefined {
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    return close > 0 ? s.slice(1, close) : undefined;
  }
  if (s.includes('://') || s.startsWith('@') || s.startsWith('/')) return undefined;
  const colon = s.indexOf(':');
  if (colon < 0) return s;
  // More than one colon without brackets: an IPv6 address without a port.
  return s.indexOf(':', colon + 1) >= 0 ? s : s.slice(0, colon);
}

/** The port, or undefined when there is none. */
export function portOf(s: string): number | undefined {
  let colon: number;
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0 || s[close + 1] !== ':') return undefined;
    colon = close + 1;
  } else {
    colon = s.indexOf(':');
    if (colon < 0 || s.indexOf(':', colon + 1) >= 0 || s.includes('://')) return undefined;
  }
  const port = Number(s.slice(colon + 1));
  return Number.isInteger(port) && port >= 0 && port <= 65535 ? port : undefined;
}

/** `authority` → host without port (server.address). */
export function authorityHost(authority: string): string {
  return hostOf(authority) ?? authority;
}

export function isLoopback(host: string): boolean {
  return host.startsWith('127.') || host === '::1' || host === 'localhost';
}
