// IP addresses are pseudonymised, not dropped: a keyed hash keeps them joinable. Loopback and
// unspecified addresses identify nobody (Istio's 127.0.0.6 inbound hop, 0.0.0.0 listeners).
import { isIP } from 'node:net';

/** True for an IPv4 or IPv6 address that names a host: not loopback, not unspecified. */
export function isPseudonymisedIp(candidate: string): boolean {
  const v = isIP(candidate);
  if (v === 4) return !candidate.startsWith('127.') && candidate !== '0.0.0.0';
  if (v === 6) return candidate !== '::1' && candidate !== '::' && !/^::ffff:127\./i.test(candidate);
  return false;
}

/** The network part for the `partial` action: /16 of IPv4, /48 of IPv6 (the host part dropped). */
export function ipNetwork(ip: string): string {
  if (!ip.includes(':')) {
    const parts = ip.split('.');
    return `${parts[0]}.${parts[1]}.*.*`;
  }
  const head = ip.split('::')[0]!.split(':').slice(0, 3).join(':');
  return `${head || ''}::*`;
}
