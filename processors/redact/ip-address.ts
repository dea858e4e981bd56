// IP addresses are pseudonymised, not dropped: a keyed hash keeps them joinable. Loopback and
// unspecified addresses identify nobody (Istio's 127.0.0.6 inbound hop, 0.0.0.0 listeners); private,
// shared and link-local ranges are the pod and service network (entity private_ip, off by default).
import { isIP } from 'node:net';

/** The entity of an address, or undefined when it is not one or names no host. */
export function ipEntity(candidate: string): 'ip' | 'private_ip' | undefined {
  const v = isIP(candidate);
  if (v === 4) {
    const dot = candidate.indexOf('.');
    const a = Number(candidate.slice(0, dot));
    const b = Number(candidate.slice(dot + 1, candidate.indexOf('.', dot + 1)));
    return ipv4Entity(a, b, candidate === '0.0.0.0');
  }
  if (v === 6) {
    const lower = candidate.toLowerCase();
    if (lower === '::1' || lower === '::' || lower.startsWith('::ffff:127.')) return undefined;
    if (/^f[cd]/.test(lower) || /^fe[89ab]/.test(lower)) return 'private_ip';
    if (lower.startsWith('::ffff:')) return ipEntity(lower.slice(7)) ?? undefined;
    return 'ip';
  }
  return undefined;
}

/** The entity of a valid IPv4 address from its first two octets. */
export function ipv4Entity(a: number, b: number, unspecified: boolean): 'ip' | 'private_ip' | undefined {
  if (a === 127 || unspecified) return undefined;
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private_ip';
  if ((a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) || a === 0) return 'private_ip';
  return 'ip';
}

/** True for an IPv4 or IPv6 address that names a host: not loopback, not unspecified. */
export function isPseudonymisedIp(candidate: string): boolean {
  return ipEntity(candidate) !== undefined;
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
