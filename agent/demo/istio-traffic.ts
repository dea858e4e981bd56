// Seeded Istio sidecar traffic for the bookinfo mesh: each user request through the ingress
// gateway fans out to productpage, details, reviews and ratings, and every hop is logged by both
// proxies (outbound and inbound) with the request's x-request-id. Deterministic for a seed: the
// demo, the tests and the benchmark replay the same lines. Times are event times from the caller.
// `format: 'istio_audit'` adds peer identities, the user's claims and the trace to every line, and
// ~5% of page loads carry a credential in the query (`?access_token=…`) for redact to mask.
import { type AccessLogFormat, formatAccessLog } from './access-log-line.ts';
import { type BookinfoMesh, bookinfoMesh, type MeshPod } from './bookinfo-mesh.ts';
import type { LogStream } from './cri-line.ts';
import { envoyOperationalLine, truncatedLine } from './envoy-noise.ts';
import { type Call, type CallOutcome, callHops, type Hop } from './request-hops.ts';
import { RequestIdentities, type RequestIdentity } from './request-identity.ts';
import { SeededRandom } from './seeded-random.ts';

export type { MeshPod } from './bookinfo-mesh.ts';
export { criWrap, type LogStream } from './cri-line.ts';

export interface TrafficLine {
  pod: MeshPod;
  line: string;
  stream: LogStream;
}

/** `deny_storm`: a compromised workload hammers ratings and the mesh's RBAC policy rejects it. */
export type TrafficMode = 'normal' | 'deny_storm';

export interface TrafficOptions {
  seed: number;
  /** Pods per bookinfo workload (the gateway always has one). */
  replicas?: number;
  /** Istio's default (`istio`, what the benchmark and the parser tests replay) or the audit format. */
  format?: AccessLogFormat;
}

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'curl/8.11.0',
  'python-requests/2.32.3',
];
const SCANNER_PATHS = ['/wp-login.php', '/.env', '/admin', '/api/v2/products', '/actuator/health'];
const MS = 1_000_000n;

export class IstioTraffic {
  readonly mesh: BookinfoMesh;
  readonly #random: SeededRandom;
  readonly #format: AccessLogFormat;
  readonly #identities: RequestIdentities;
  #request: RequestIdentity = { traceId: '' };
  #pending: TrafficLine[] = [];

  constructor(options: TrafficOptions) {
    this.#random = new SeededRandom(options.seed);
    this.#format = options.format ?? 'istio';
    this.#identities = new RequestIdentities(options.seed);
    this.mesh = bookinfoMesh(this.#random, options.replicas ?? 1);
  }

  get pods(): MeshPod[] {
    return this.mesh.pods;
  }

  /** The next line some proxy writes at `timeNs`. */
  next(timeNs: bigint, mode: TrafficMode = 'normal'): TrafficLine {
    if (this.#pending.length === 0) this.#pending = this.#generate(timeNs, mode);
    return this.#pending.shift()!;
  }

  #generate(t: bigint, mode: TrafficMode): TrafficLine[] {
    const r = this.#random;
    if (r.chance(0.004)) {
      return [{ pod: r.pick(this.mesh.pods), line: envoyOperationalLine(r, t), stream: 'stderr' }];
    }
    const hops = mode === 'deny_storm' && r.chance(0.8) ? this.#deniedCall(t) : this.#userRequest(t);
    const lines = hops.map(
      (h): TrafficLine => ({ pod: h.pod, line: formatAccessLog(h.entry, this.#format), stream: 'stdout' }),
    );
    if (r.chance(0.002)) {
      const victim = lines[r.int(0, lines.length - 1)]!;
      victim.line = truncatedLine(r, victim.line);
    }
    return lines;
  }

  #deniedCall(t: bigint): Hop[] {
    const r = this.#random;
    // The compromised workload calls on its own account: no user behind it.
    this.#request = this.#identities.request(t, true);
    const caller = r.pick(this.mesh.pods.filter((p) => p.app === 'reviews' && p.version === 'v2'));
    const call = this.#call(caller, 'ratings', t, 'rbac_denied', r.int(1, 3), 48);
    return callHops({ ...call, path: `/ratings/${r.int(0, 9)}`, userAgent: 'curl/8.11.0' }, r);
  }

  /** A browser request through the gateway; hops are listed in the order their proxies log them. */
  #userRequest(t: bigint): Hop[] {
    const r = this.#random;
    const base = {
      requestId: r.uuid(),
      userAgent: r.pick(USER_AGENTS),
      forwardedFor: `203.0.113.${r.int(1, 254)}`,
    };
    const protocol = base.userAgent.startsWith('Mozilla') ? 'HTTP/2' : 'HTTP/1.1';
    const gateway = this.mesh.gateway;
    const authority = 'bookinfo.example.com';
    const scanner = r.chance(0.02);
    this.#request = this.#identities.request(t, scanner);
    if (scanner) {
      const call = this.#call(gateway, 'productpage', t, 'no_route', 0, 0);
      return callHops({ ...call, ...base, protocol, authority, path: r.pick(SCANNER_PATHS) }, r);
    }
    const hops: Hop[] = [];
    const page = r.pick(this.mesh.backends('productpage'));
    let at = t + 2n * MS;
    const child = (
      service: string,
      outcome: CallOutcome,
      appMs: number,
      bytes: number,
      path: string,
    ): Call => ({ ...this.#call(page, service, at, outcome, appMs, bytes), ...base, path });
    const details = child(
      'details',
      r.chance(0.005) ? 'no_healthy_upstream' : 'ok',
      r.int(1, 4),
      178,
      '/details/0',
    );
    const detailsHops = callHops(details, r);
    hops.push(...detailsHops);
    at += BigInt(detailsHops[0]!.entry.durationMs + 1) * MS;

    const reviews = child('reviews', 'ok', 0, 0, '/reviews/0');
    let reviewsMs = r.int(3, 10);
    if (reviews.callee.version !== 'v1') {
      const outcome = r.chance(0.01) ? 'upstream_failure' : r.chance(0.005) ? 'rbac_denied' : 'ok';
      const ratings = this.#call(reviews.callee, 'ratings', at + 2n * MS, outcome, r.int(1, 3), 48);
      const ratingsHops = callHops({ ...ratings, ...base, path: '/ratings/0' }, r);
      hops.push(...ratingsHops);
      reviewsMs += ratingsHops[0]!.entry.durationMs;
    }
    hops.push(
      ...callHops(
        { ...reviews, appMs: reviewsMs, bytesSent: reviews.callee.version === 'v1' ? 295 : 375 },
        r,
      ),
    );
    const pageMs = Number((at - t) / MS) + reviewsMs + r.int(5, 20);
    const front = this.#call(gateway, 'productpage', t, 'ok', pageMs, r.int(5180, 5300));
    const path = this.#withSecret('/productpage');
    hops.push(...callHops({ ...front, ...base, callee: page, protocol, authority, path }, r));
    return hops;
  }

  /**
   * The path with the request's leaked credential, if it has one: only in the audit format (the
   * demo's, where redact masks it), so the default format's lines of a seed stay as they were.
   */
  #withSecret(path: string): string {
    const secret = this.#request.querySecret;
    return this.#format === 'istio_audit' && secret !== undefined ? `${path}?${secret}` : path;
  }

  #call(
    caller: MeshPod,
    service: string,
    startNs: bigint,
    outcome: CallOutcome,
    appMs: number,
    bytesSent: number,
  ): Call {
    const s = this.mesh.services[service]!;
    return {
      caller,
      callee: this.#random.pick(this.mesh.backends(service)),
      service: s,
      outcome,
      startNs,
      method: 'GET',
      path: '/',
      protocol: 'HTTP/1.1',
      authority: `${service}:${s.port}`,
      requestId: this.#random.uuid(),
      userAgent: '-',
      appMs,
      bytesReceived: 0,
      bytesSent,
      identity: this.#identities.call(this.#request),
    };
  }
}

export function createTraffic(options: TrafficOptions): IstioTraffic {
  return new IstioTraffic(options);
}
