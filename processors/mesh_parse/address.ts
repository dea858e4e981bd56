// Socket addresses as Envoy prints them: `10.0.0.1:8080`, `[2001:db8::1]:8080`, a bare IPv6 address,
// or a pipe/internal address (`envoy://internal_client_address/`), which has no IP to give.
import { digitsIn } from './digits.ts';

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

/** Where readAddress puts an address's host and port (hostOf's and portOf's answers). */
export interface Address {
  host: string | undefined;
  port: number | undefined;
}

/**
 * hostOf(s) and portOf(s) in one scan into `out`: a record reads up to four addresses, each asked
 * for both, and the eight scans were ~15 % of mesh_parse (bench/RESULTS.md, "mesh_parse record shape").
 */
export function readAddress(s: string, out: Address): void {
  if (s.charCodeAt(0) === 91 /* [ */) {
    const close = s.indexOf(']');
    out.host = close > 0 ? s.slice(1, close) : undefined;
    out.port = close >= 0 && s.charCodeAt(close + 1) === 58 /* : */ ? portAfter(s, close + 1) : undefined;
    return;
  }
  const c0 = s.charCodeAt(0);
  const noIp = c0 === 64 /* @ */ || c0 === 47; /* / */
  const colon = s.indexOf(':');
  if (colon < 0) {
    out.host = noIp ? undefined : s;
    out.port = undefined;
    return;
  }
  if (s.indexOf(':', colon + 1) >= 0) {
    out.host = noIp || s.includes('://') ? undefined : s;
    out.port = undefined;
    return;
  }
  // One colon: the string holds `://` exactly when that colon starts it.
  if (s.startsWith('//', colon + 1)) {
    out.host = undefined;
    out.port = undefined;
    return;
  }
  out.host = noIp ? undefined : s.slice(0, colon);
  out.port = portAfter(s, colon);
}

function portAfter(s: string, colon: number): number | undefined {
  const digits = digitsIn(s, colon + 1, s.length, 5);
  if (digits !== undefined) return digits <= 65535 ? digits : undefined;
  const port = Number(s.slice(colon + 1));
  return Number.isInteger(port) && port >= 0 && port <= 65535 ? port : undefined;
}

export function isLoopback(host: string): boolean {
  return host.startsWith('127.') || host === '::1' || host === 'localhost';
}
