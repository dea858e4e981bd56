// One call between two workloads as Envoy logs it: an outbound entry in the caller's proxy and,
// when the request reached the callee's proxy, an inbound entry there. Addresses line up the way
// they do in a real mesh (the caller's upstream local address is the callee's downstream remote).
import type { AccessLogEntry } from './access-log-line.ts';
import { type MeshPod, type MeshService, serviceFqdn, spiffeId } from './bookinfo-mesh.ts';
import type { SeededRandom } from './seeded-random.ts';

export type CallOutcome = 'ok' | 'no_route' | 'upstream_failure' | 'no_healthy_upstream' | 'rbac_denied';

export interface Call {
  caller: MeshPod;
  callee: MeshPod;
  service: MeshService;
  outcome: CallOutcome;
  startNs: bigint;
  method: string;
  path: string;
  /** The caller's downstream protocol; sidecar-to-sidecar hops are HTTP/1.1 in bookinfo. */
  protocol: string;
  authority: string;
  requestId: string;
  userAgent: string;
  forwardedFor?: string;
  /** Time the callee's app spent, including its own calls. */
  appMs: number;
  bytesReceived: number;
  bytesSent: number;
  identity?: CallIdentity;
}

/** What the audit format adds beyond the default: the user's verified claims and the trace. */
export interface CallIdentity {
  /** base64url claims; absent for anonymous requests and for calls a workload makes on its own. */
  jwtPayload?: string;
  traceId: string;
  /** The span ids the caller's and the callee's proxy see in `traceparent`. */
  spanIds: [string, string];
}

export interface Hop {
  pod: MeshPod;
  entry: AccessLogEntry;
}

export const RBAC_DENIED_DETAILS =
  'rbac_access_denied_matched_policy[ns[default]-policy[deny-ratings]-rule[0]]';

export function callHops(c: Call, random: SeededRandom): Hop[] {
  const fromGateway = c.caller.app === 'istio-ingressgateway';
  const fqdn = serviceFqdn(c.service);
  const local = `${c.caller.ip}:${random.port()}`;
  const target = `${c.callee.ip}:${c.service.port}`;
  const common = {
    startNs: c.startNs,
    method: c.method,
    path: c.path,
    requestId: c.requestId,
    authority: c.authority,
    userAgent: c.userAgent,
    bytesReceived: c.bytesReceived,
  };
  const outbound: AccessLogEntry = {
    ...common,
    protocol: c.protocol,
    code: 200,
    details: 'via_upstream',
    bytesSent: c.bytesSent,
    durationMs: c.appMs + random.int(1, 2),
    upstreamServiceTimeMs: c.appMs + 1,
    // Only the gateway sets X-Forwarded-For; bookinfo's apps do not pass it on.
    forwardedFor: fromGateway ? c.forwardedFor : undefined,
    upstreamHost: target,
    upstreamCluster: `outbound|${c.service.port}||${fqdn}`,
    upstreamLocal: local,
    downstreamLocal: fromGateway ? `${c.caller.ip}:8080` : `${c.service.clusterIp}:${c.service.port}`,
    downstreamRemote: fromGateway ? `${c.forwardedFor}:${random.port()}` : `${c.caller.ip}:${random.port()}`,
    routeName: fromGateway ? undefined : 'default',
    // The app talks plaintext to its sidecar (the gateway's client has no mesh identity); the callee
    // proves its identity in mTLS. Only the gateway runs jwt_authn on the way out: a sidecar verifies
    // tokens on its inbound side (RequestAuthentication), so outbound sidecar lines carry no user.
    upstreamPeer: spiffeId(c.callee),
    jwtPayload: fromGateway ? c.identity?.jwtPayload : undefined,
    traceparent: traceparent(c.identity, 0),
  };
  const inbound: AccessLogEntry = {
    ...common,
    protocol: 'HTTP/1.1',
    code: 200,
    details: 'via_upstream',
    bytesSent: c.bytesSent,
    durationMs: c.appMs,
    upstreamServiceTimeMs: Math.max(0, c.appMs - 1),
    forwardedFor: fromGateway ? c.forwardedFor : undefined,
    upstreamHost: target,
    upstreamCluster: `inbound|${c.service.port}||`,
    upstreamLocal: `127.0.0.6:${random.port()}`,
    downstreamLocal: target,
    downstreamRemote: local,
    serverName: `outbound_.${c.service.port}_._.${fqdn}`,
    routeName: 'default',
    // bookinfo's apps forward `authorization`; a mesh-wide RequestAuthentication verifies it here.
    downstreamPeer: spiffeId(c.caller),
    jwtPayload: c.identity?.jwtPayload,
    traceparent: traceparent(c.identity, 1),
  };
  // No response from upstream: Envoy answers itself, so there is no service time.
  const local503 = { upstreamServiceTimeMs: undefined, durationMs: random.int(0, 3), bytesReceived: 0 };
  switch (c.outcome) {
    case 'ok':
      return [
        { pod: c.caller, entry: outbound },
        { pod: c.callee, entry: inbound },
      ];
    case 'no_route':
      return [{ pod: c.caller, entry: noUpstream(outbound, 404, 'NR', 'route_not_found', 0) }];
    case 'no_healthy_upstream':
      return [{ pod: c.caller, entry: noUpstream(outbound, 503, 'UH', 'no_healthy_upstream', 19) }];
    case 'upstream_failure':
      return [
        {
          pod: c.caller,
          entry: {
            ...outbound,
            ...local503,
            code: 503,
            flags: 'UF',
            details: 'upstream_reset_before_response_started{remote_connection_failure}',
            transportFailure: 'delayed_connect_error:_Connection_refused',
            bytesSent: 145,
            upstreamLocal: undefined,
            upstreamPeer: undefined,
          },
        },
      ];
    case 'rbac_denied': {
      const denied = { ...local503, code: 403, bytesSent: 19 };
      return [
        { pod: c.caller, entry: { ...outbound, ...denied, upstreamServiceTimeMs: 0 } },
        {
          pod: c.callee,
          entry: {
            ...inbound,
            ...denied,
            details: RBAC_DENIED_DETAILS,
            upstreamHost: undefined,
            upstreamLocal: undefined,
          },
        },
      ];
    }
  }
}

function noUpstream(
  e: AccessLogEntry,
  code: number,
  flags: string,
  details: string,
  bytes: number,
): AccessLogEntry {
  return {
    ...e,
    code,
    flags,
    details,
    bytesSent: bytes,
    durationMs: 0,
    upstreamServiceTimeMs: undefined,
    upstreamHost: undefined,
    upstreamCluster: code === 404 ? undefined : e.upstreamCluster,
    upstreamLocal: undefined,
    upstreamPeer: undefined,
  };
}

function traceparent(id: CallIdentity | undefined, hop: 0 | 1): string | undefined {
  return id && `00-${id.traceId}-${id.spanIds[hop]}-01`;
}
