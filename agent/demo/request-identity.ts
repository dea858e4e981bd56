// Who a simulated request runs as, and its trace: what the audit format logs beyond Istio's default.
// Users sign in at auth.bookinfo.example.com; the gateway verifies their JWT and writes the claims
// to x-jwt-payload (RequestAuthentication outputPayloadToHeader), as docs/mesh-logs.md recommends.
// Drawn from their own seeded stream, so adding identities leaves the base traffic of a seed as it was.
import type { CallIdentity } from './request-hops.ts';
import { SeededRandom } from './seeded-random.ts';

export const DEMO_USERS = ['jason', 'alice', 'bob', 'chen', 'fatima', 'priya'];
/** Share of browsing without signing in (bookinfo works anonymously too). */
const ANONYMOUS = 0.25;
/** Share of page loads from a client that puts a credential in the URL (a leaked-token link, a script). */
const SECRET_IN_URL = 0.05;
const SECRET_PARAMS = ['access_token', 'api_key'];

export interface RequestIdentity {
  jwtPayload?: string;
  traceId: string;
  /** A credential the client sent in the query string (`access_token=…`), which the sidecars log. */
  querySecret?: string;
}

export class RequestIdentities {
  readonly #random: SeededRandom;

  constructor(seed: number) {
    // A different stream from the traffic's own: 0x9e3779b9 is the usual golden-ratio offset.
    this.#random = new SeededRandom((seed ^ 0x9e3779b9) >>> 0);
  }

  /** A request from outside: a signed-in user, or anonymous when `anonymous` or by chance. */
  request(timeNs: bigint, anonymous = false): RequestIdentity {
    const r = this.#random;
    const traceId = r.hex(32);
    const querySecret = r.chance(SECRET_IN_URL) ? `${r.pick(SECRET_PARAMS)}=${r.hex(32)}` : undefined;
    const secret = querySecret === undefined ? {} : { querySecret };
    if (anonymous || r.chance(ANONYMOUS)) return { traceId, ...secret };
    return { jwtPayload: claimsHeader(r.pick(DEMO_USERS), timeNs), traceId, ...secret };
  }

  /** One call within the request: the same user and trace, a span per proxy. */
  call(request: RequestIdentity): CallIdentity {
    return { ...request, spanIds: [this.#random.hex(16), this.#random.hex(16)] };
  }
}

/** The header outputPayloadToHeader writes: the token's verified claims as base64url JSON. */
export function claimsHeader(sub: string, timeNs: bigint): string {
  const iat = Number(timeNs / 1_000_000_000n) - 60;
  const claims = { iss: 'https://auth.bookinfo.example.com', sub, aud: 'bookinfo', iat, exp: iat + 3600 };
  return Buffer.from(JSON.stringify(claims)).toString('base64url');
}
