// One Envoy access-log entry rendered in Istio's default TEXT format, or in the audit format that
// docs/mesh-logs.md recommends (the default plus peer identities, the user's claims and the trace).
// Envoy writes "-" for every unset or empty operator, quoted or not.

/** Istio's default text format (pilot/pkg/model/telemetry_logging.go, EnvoyTextLogFormat, 1.23+). */
export const ISTIO_TEXT_FORMAT =
  '[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% ' +
  '%RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% ' +
  '"%UPSTREAM_TRANSPORT_FAILURE_REASON%" %BYTES_RECEIVED% %BYTES_SENT% %DURATION% ' +
  '%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" ' +
  '"%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER_RAW% ' +
  '%UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% ' +
  '%REQUESTED_SERVER_NAME% %ROUTE_NAME%\n';

/** docs/mesh-logs.md's recommended accessLogFormat: the default's fields first, then who and as whom. */
export const ISTIO_AUDIT_FORMAT =
  ISTIO_TEXT_FORMAT.slice(0, -1) +
  ' "%DOWNSTREAM_PEER_URI_SAN%" "%UPSTREAM_PEER_URI_SAN%" "%REQ(X-JWT-PAYLOAD)%" "%REQ(TRACEPARENT)%"\n';

export type AccessLogFormat = 'istio' | 'istio_audit';

export interface AccessLogEntry {
  /** Request start, ns since the epoch; Envoy prints it with millisecond precision. */
  startNs: bigint;
  method: string;
  path: string;
  protocol: string;
  /** 0 when no response was sent. */
  code: number;
  /** Short response flags, comma-separated (`UF,URX`); empty for none. */
  flags?: string;
  details?: string;
  termination?: string;
  transportFailure?: string;
  bytesReceived: number;
  bytesSent: number;
  durationMs: number;
  upstreamServiceTimeMs?: number;
  forwardedFor?: string;
  userAgent?: string;
  requestId: string;
  authority: string;
  upstreamHost?: string;
  upstreamCluster?: string;
  upstreamLocal?: string;
  downstreamLocal: string;
  downstreamRemote: string;
  serverName?: string;
  routeName?: string;
  /** SPIFFE ids the proxy saw in mTLS: the caller's (inbound) and the callee's (outbound). */
  downstreamPeer?: string;
  upstreamPeer?: string;
  /** base64url JSON claims that RequestAuthentication outputPayloadToHeader wrote (verified). */
  jwtPayload?: string;
  traceparent?: string;
}

const dash = (v: string | number | undefined): string => (v === undefined || v === '' ? '-' : String(v));

/** The line without its trailing newline. */
export function formatAccessLog(e: AccessLogEntry, format: AccessLogFormat = 'istio'): string {
  const start = new Date(Number(e.startNs / 1_000_000n)).toISOString();
  const line =
    `[${start}] "${e.method} ${e.path} ${e.protocol}" ${e.code} ${dash(e.flags)} ${dash(e.details)} ` +
    `${dash(e.termination)} "${dash(e.transportFailure)}" ${e.bytesReceived} ${e.bytesSent} ` +
    `${e.durationMs} ${dash(e.upstreamServiceTimeMs)} "${dash(e.forwardedFor)}" "${dash(e.userAgent)}" ` +
    `"${e.requestId}" "${e.authority}" "${dash(e.upstreamHost)}" ${dash(e.upstreamCluster)} ` +
    `${dash(e.upstreamLocal)} ${e.downstreamLocal} ${e.downstreamRemote} ${dash(e.serverName)} ` +
    dash(e.routeName);
  if (format === 'istio') return line;
  return (
    `${line} "${dash(e.downstreamPeer)}" "${dash(e.upstreamPeer)}" "${dash(e.jwtPayload)}" ` +
    `"${dash(e.traceparent)}"`
  );
}
