// Envoy's response flags (%RESPONSE_FLAGS% short names, %RESPONSE_FLAGS_LONG% long names) and their
// meanings, from the Envoy access-log docs (envoyproxy/envoy
// docs/root/configuration/observability/access_log/usage.rst, "RESPONSE_FLAGS"). The record carries
// the short names as a set (envoy.response_flags); docs/attributes.md lists the meanings.

/** Short name → [long name, meaning]. */
export const RESPONSE_FLAGS: Record<string, [string, string]> = {
  UH: ['NoHealthyUpstream', 'no healthy upstream hosts in the upstream cluster (503)'],
  UF: ['UpstreamConnectionFailure', 'upstream connection failure (503)'],
  UO: ['UpstreamOverflow', 'upstream overflow: circuit breaking (503)'],
  NR: ['NoRouteFound', 'no route for the request (404), or no filter chain for a connection'],
  URX: ['UpstreamRetryLimitExceeded', 'upstream retry limit (HTTP) or connect attempts (TCP) reached'],
  NC: ['NoClusterFound', 'upstream cluster not found'],
  DT: ['DurationTimeout', 'max connection or stream duration exceeded'],
  DC: ['DownstreamConnectionTermination', 'downstream connection terminated'],
  LH: ['FailedLocalHealthCheck', 'local service failed its health check (503)'],
  UT: ['UpstreamRequestTimeout', 'upstream request timeout (504)'],
  LR: ['LocalReset', 'connection local reset (503)'],
  UR: ['UpstreamRemoteReset', 'upstream remote reset (503)'],
  UC: ['UpstreamConnectionTermination', 'upstream connection terminated (503)'],
  DI: ['DelayInjected', 'request delayed by the fault filter'],
  FI: ['FaultInjected', 'request aborted by the fault filter'],
  RL: ['RateLimited', 'rate limited locally by the rate-limit filter (429)'],
  UAEX: ['UnauthorizedExternalService', 'denied by the external authorization service'],
  RLSE: ['RateLimitServiceError', 'rejected because the rate-limit service failed'],
  IH: ['InvalidEnvoyRequestHeaders', 'rejected for invalid values in x-envoy-* headers (400)'],
  SI: ['StreamIdleTimeout', 'stream idle timeout (408 or 504)'],
  DPE: ['DownstreamProtocolError', 'the downstream request had an HTTP protocol error'],
  UPE: ['UpstreamProtocolError', 'the upstream response had an HTTP protocol error'],
  UMSDR: ['UpstreamMaxStreamDurationReached', 'upstream request reached its max stream duration'],
  RFCF: ['ResponseFromCacheFilter', 'response served by the cache filter'],
  NFCF: ['NoFilterConfigFound', 'no filter config for the request (500)'],
  OM: ['OverloadManagerTerminated', 'terminated by the overload manager'],
  DF: ['DnsResolutionFailed', 'the request was terminated because DNS resolution failed'],
  DO: ['DropOverload', 'request dropped by drop_overload (503)'],
  DR: ['DownstreamRemoteReset', 'the downstream reset the stream'],
  UDO: ['UnconditionalDropOverload', 'request dropped unconditionally by drop_overload (503)'],
};

const BY_LONG_NAME = new Map(Object.entries(RESPONSE_FLAGS).map(([short, [long]]) => [long, short]));

/** `UF,URX` or `UpstreamConnectionFailure,UpstreamRetryLimitExceeded` → [UF, URX]; unknown names kept as is. */
export function parseResponseFlags(value: string): string[] {
  const out: string[] = [];
  for (const f of value.split(',')) {
    const flag = f.trim();
    if (flag === '' || flag === '-') continue;
    const short = RESPONSE_FLAGS[flag] ? flag : (BY_LONG_NAME.get(flag) ?? flag);
    if (!out.includes(short)) out.push(short);
  }
  return out;
}
