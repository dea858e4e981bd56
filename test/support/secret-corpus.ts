// A seeded corpus of Istio access-log lines (default TEXT format, TEXT with logged headers, JSON),
// a third of them carrying one seeded secret in a header, the path, the query or the body.
import { type AccessLogEntry, formatAccessLog, ISTIO_TEXT_FORMAT } from '../../agent/demo/access-log-line.ts';
import { SeededRandom } from '../../agent/demo/seeded-random.ts';
import { SECRET_KINDS, type SecretKind, type SeededSecret, seededSecret } from './seeded-secrets.ts';

export type Placement = 'header' | 'path' | 'query' | 'body';

export interface CorpusLine {
  line: string;
  format: 'text' | 'text_headers' | 'json';
  secret?: SeededSecret & { where: Placement };
}

/** mesh_parse's declaration of the TEXT format that logs Authorization, Cookie and X-Api-Key. */
export const HEADERS_FORMAT = {
  name: 'istio_headers',
  format: `${ISTIO_TEXT_FORMAT.slice(0, -1)} "%REQ(AUTHORIZATION)%" "%REQ(COOKIE)%" "%REQ(X-API-KEY)%"`,
};

const WHERE: Record<SecretKind, Placement[]> = {
  bearer: ['header', 'body'],
  basic: ['header', 'body'],
  jwt: ['header', 'path', 'query', 'body'],
  cookie: ['header'],
  api_key: ['header', 'query'],
  query_secret: ['query'],
  aws: ['header', 'body'],
  github_token: ['header', 'path', 'query', 'body'],
  slack_token: ['header', 'path', 'query', 'body'],
  stripe_key: ['header', 'query', 'body'],
  private_key: ['body'],
  email: ['header', 'path', 'query', 'body'],
  card: ['path', 'query', 'body'],
  iban: ['path', 'query', 'body'],
  ipv4: ['header', 'body'],
  ipv6: ['header', 'body'],
};
const QUERY_KEY: Partial<Record<SecretKind, string[]>> = {
  jwt: ['access_token', 'id_token', 'token'],
  api_key: ['api_key', 'apikey'],
  query_secret: [
    'token',
    'password',
    'secret',
    'client_secret',
    'signature',
    'sig',
    'code',
    'session',
    'refresh_token',
  ],
  github_token: ['key', 'token'],
  slack_token: ['token'],
  stripe_key: ['key', 'api_key'],
};

interface Headers {
  authorization?: string;
  cookie?: string;
  'x-api-key'?: string;
  'x-user-email'?: string;
}

export function secretCorpus(seed: number, lines: number): CorpusLine[] {
  const r = new SeededRandom(seed);
  const out: CorpusLine[] = [];
  const t0 = 1_730_800_800_000;
  for (let i = 0; i < lines; i++) {
    const e: AccessLogEntry = {
      startNs: BigInt(t0 + i * 7) * 1_000_000n,
      method: r.pick(['GET', 'GET', 'POST', 'PUT']),
      path: `/api/v1/${r.pick(['orders', 'users', 'carts', 'products'])}/${r.int(1, 99999)}`,
      protocol: r.pick(['HTTP/1.1', 'HTTP/2']),
      code: r.pick([200, 200, 200, 201, 404, 503]),
      details: 'via_upstream',
      bytesReceived: r.int(0, 4000),
      bytesSent: r.int(0, 20000),
      durationMs: r.int(1, 900),
      upstreamServiceTimeMs: r.int(1, 800),
      forwardedFor: `198.51.100.${r.int(1, 254)}`,
      userAgent: r.pick(['curl/8.11.0', 'python-requests/2.32.3', 'okhttp/4.12.0', 'Go-http-client/2.0']),
      requestId: r.uuid(),
      authority: 'shop.example.com',
      upstreamHost: `10.244.${r.int(0, 9)}.${r.int(2, 250)}:8080`,
      upstreamCluster: 'outbound|8080||orders.shop.svc.cluster.local',
      upstreamLocal: `10.244.1.${r.int(2, 250)}:${r.port()}`,
      downstreamLocal: `10.96.${r.int(0, 9)}.${r.int(2, 250)}:8080`,
      downstreamRemote: `10.244.1.${r.int(2, 250)}:${r.port()}`,
      serverName: '-',
      routeName: 'default',
    };
    const headers: Headers = {};
    let body: string | undefined;
    let format: CorpusLine['format'] = r.pick(['text', 'text_headers', 'json'] as const);
    let secret: CorpusLine['secret'];
    if (i % 3 === 0) {
      const kind = SECRET_KINDS[(i / 3) % SECRET_KINDS.length]!;
      const where = r.pick(WHERE[kind]);
      const s = seededSecret(r, kind);
      // A URL has no spaces: cards and IBANs go there in their compact form.
      const text = (where === 'path' || where === 'query') && s.text.includes(' ') ? s.clear[1]! : s.text;
      secret = { ...s, text, where };
      format = r.pick(['text', 'json'] as const);
      if (where === 'path') e.path = `/api/v1/${kind === 'card' ? 'cards' : 'lookup'}/${text}/details`;
      else if (where === 'query') e.path = `${e.path}?page=2&${r.pick(QUERY_KEY[kind] ?? [kind])}=${text}`;
      else if (where === 'body') {
        if (kind === 'private_key') format = 'json';
        if (format === 'json') body = `upstream rejected the request: ${text}`;
        else e.userAgent = `Mozilla/5.0 (compatible; probe ${text})`;
      } else if (kind === 'ipv4' || kind === 'ipv6') e.forwardedFor = `${text}, 198.51.100.7`;
      else if (kind === 'email') {
        headers['x-user-email'] = text;
        format = 'json';
      } else {
        if (format === 'text') format = 'text_headers';
        if (kind === 'bearer' || kind === 'basic') headers.authorization = text;
        else if (kind === 'jwt') headers.authorization = `Bearer ${text}`;
        else if (kind === 'cookie') headers.cookie = text;
        else headers['x-api-key'] = text;
      }
    }
    out.push({ line: render(e, format, headers, body), format, ...(secret ? { secret } : {}) });
  }
  return out;
}

function render(e: AccessLogEntry, format: CorpusLine['format'], h: Headers, body?: string): string {
  if (format === 'text') return formatAccessLog(e);
  if (format === 'text_headers') {
    const q = (v: string | undefined) => `"${v ?? '-'}"`;
    return `${formatAccessLog(e)} ${q(h.authorization)} ${q(h.cookie)} ${q(h['x-api-key'])}`;
  }
  return JSON.stringify({
    start_time: new Date(Number(e.startNs / 1_000_000n)).toISOString(),
    method: e.method,
    path: e.path,
    protocol: e.protocol,
    response_code: e.code,
    response_flags: null,
    response_code_details: e.details,
    bytes_received: e.bytesReceived,
    bytes_sent: e.bytesSent,
    duration: e.durationMs,
    upstream_service_time: e.upstreamServiceTimeMs,
    x_forwarded_for: e.forwardedFor,
    user_agent: e.userAgent,
    request_id: e.requestId,
    authority: e.authority,
    upstream_host: e.upstreamHost,
    upstream_cluster: e.upstreamCluster,
    upstream_local_address: e.upstreamLocal,
    downstream_local_address: e.downstreamLocal,
    downstream_remote_address: e.downstreamRemote,
    route_name: e.routeName,
    ...h,
    ...(body === undefined ? {} : { message: body }),
  });
}
