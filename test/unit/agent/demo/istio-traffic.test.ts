// The demo's traffic generator: same seed, same lines; every access line in Istio's default TEXT
// format; both hops of a call share the x-request-id; the status mix the detectors will look for.
import { describe, expect, it } from 'vitest';
import {
  createTraffic,
  type MeshPod,
  type TrafficLine,
  type TrafficMode,
} from '../../../../agent/demo/istio-traffic.ts';

// Derived from Istio's default format (ISTIO_TEXT_FORMAT), one group per operator, in order.
const ISTIO_TEXT = new RegExp(
  [
    String.raw`^\[(?<start>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\]`,
    String.raw`"(?<method>[A-Z]+) (?<path>\S+) (?<protocol>HTTP/[\d.]+)"`,
    String.raw`(?<code>\d{1,3}) (?<flags>\S+) (?<details>\S+) (?<termination>\S+)`,
    String.raw`"(?<transportFailure>[^"]*)" (?<received>\d+) (?<sent>\d+) (?<duration>\d+) (?<serviceTime>\d+|-)`,
    `"(?<xff>[^"]*)" "(?<userAgent>[^"]*)" "(?<requestId>[^"]*)" "(?<authority>[^"]*)" "(?<upstreamHost>[^"]*)"`,
    String.raw`(?<cluster>\S+) (?<upstreamLocal>\S+) (?<downstreamLocal>\S+) (?<downstreamRemote>\S+)`,
    String.raw`(?<serverName>\S+) (?<route>\S+)$`,
  ].join(' '),
);
const ENVOY_OPERATIONAL =
  /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z\t(info|warning)\tenvoy \w+\t\S+:\d+\t.+\tthread=\d+$/;
const T0 = 1_795_600_500_123_456_789n;

function take(seed: number, count: number, mode: TrafficMode = 'normal'): TrafficLine[] {
  const traffic = createTraffic({ seed });
  return Array.from({ length: count }, (_, i) => traffic.next(T0 + BigInt(i) * 3_000_000n, mode));
}

type Fields = Record<string, string>;
const fields = (line: string): Fields | undefined => ISTIO_TEXT.exec(line)?.groups;

const SECRET = /\?(access_token|api_key)=[0-9a-f]{32}/;

describe('createTraffic', () => {
  it('replays the same lines and pods for the same seed, and other lines for another seed', () => {
    const a = take(7, 2000).map((l) => `${l.pod.name} ${l.stream} ${l.line}`);
    const b = take(7, 2000).map((l) => `${l.pod.name} ${l.stream} ${l.line}`);
    expect(a).toEqual(b);
    expect(take(8, 2000).map((l) => l.line)).not.toEqual(a.map((l) => l.split(' ').slice(2).join(' ')));
  });

  it('writes Istio default-format access lines, Envoy operational lines and a rare cut line', () => {
    const lines = take(1, 20_000);
    const access = lines.filter((l) => ISTIO_TEXT.test(l.line));
    const operational = lines.filter((l) => ENVOY_OPERATIONAL.test(l.line));
    const other = lines.filter((l) => !ISTIO_TEXT.test(l.line) && !ENVOY_OPERATIONAL.test(l.line));
    expect(access.length).toBeGreaterThan(19_000);
    expect(access.every((l) => l.stream === 'stdout')).toBe(true);
    expect(operational.length).toBeGreaterThan(0);
    expect(operational.every((l) => l.stream === 'stderr')).toBe(true);
    // Cut lines are prefixes of access lines: rare, and never empty.
    expect(other.length).toBeGreaterThan(0);
    expect(other.length).toBeLessThan(50);
    expect(other.every((l) => l.line.startsWith('[') && l.line.length >= 10)).toBe(true);
  });

  it('logs both hops of a call with the same x-request-id and matching addresses', () => {
    const parsed = take(3, 5100).flatMap((l, index): (Fields & { pod: MeshPod; index: number })[] => {
      const f = fields(l.line);
      return f ? [Object.assign({}, f, { pod: l.pod, index })] : [];
    });
    const inbound = parsed.filter((f) => f.cluster === 'inbound|9080||');
    // The last request of the window may have logged its outbound hop only: look at the first 5000.
    const served = parsed.filter(
      (f) => f.index < 5000 && f.cluster?.startsWith('outbound|9080||') && f.code === '200',
    );
    expect(served.length).toBeGreaterThan(1000);
    for (const out of served) {
      const peer = inbound.find(
        (i) => i.requestId === out.requestId && i.downstreamRemote === out.upstreamLocal,
      );
      expect(peer, out.requestId).toBeDefined();
      expect(peer!.pod.ip).toBe(out.upstreamHost!.split(':')[0]);
      expect(peer!.serverName).toBe(`outbound_.9080_._.${out.cluster!.split('||')[1]}`);
    }
    expect(served.some((f) => f.cluster === 'outbound|9080||reviews.default.svc.cluster.local')).toBe(true);
  });

  it('mixes in route misses, upstream failures and RBAC denials; a denial storm is half 403s', () => {
    const codes = (lines: TrafficLine[]) =>
      lines.map((l) => fields(l.line)).flatMap((f) => (f ? [`${f.code} ${f.flags} ${f.details}`] : []));
    const normal = codes(take(5, 40_000));
    expect(normal.filter((c) => c === '200 - via_upstream').length / normal.length).toBeGreaterThan(0.9);
    expect(normal).toContain('404 NR route_not_found');
    expect(normal).toContain('503 UH no_healthy_upstream');
    expect(normal).toContain('503 UF upstream_reset_before_response_started{remote_connection_failure}');
    const denied = '403 - rbac_access_denied_matched_policy[ns[default]-policy[deny-ratings]-rule[0]]';
    expect(normal).toContain(denied);
    const storm = codes(take(5, 5000, 'deny_storm'));
    // Both proxies log a denied call: the caller sees 403 from upstream, ratings' proxy says why.
    expect(storm.filter((c) => c === denied).length / storm.length).toBeGreaterThan(0.2);
    expect(storm.filter((c) => c === '403 - via_upstream').length / storm.length).toBeGreaterThan(0.2);
  });

  it('names pods like a Deployment does and gives each its own IPv4 address', () => {
    const { pods } = createTraffic({ seed: 1, replicas: 2 });
    expect(pods).toHaveLength(13);
    expect(new Set(pods.map((p) => p.ip)).size).toBe(13);
    for (const p of pods) {
      expect(p.name).toMatch(
        /^[a-z-]+(-v\d)?-[bcdfghjklmnpqrstvwxz2456789]{10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/,
      );
      expect(p.ip).toMatch(/^10\.244\.\d{1,3}\.\d{1,3}$/);
    }
    expect(pods.filter((p) => p.namespace === 'istio-system').map((p) => p.app)).toEqual([
      'istio-ingressgateway',
    ]);
  });

  it('audit format: peer identities, the verified user on gateway and inbound lines, a traceparent', () => {
    const traffic = createTraffic({ seed: 9, format: 'istio_audit' });
    const AUDIT = / "(?<down>[^"]*)" "(?<up>[^"]*)" "(?<jwt>[^"]*)" "(?<trace>[^"]*)"$/;
    const users = new Set<string>();
    let inbound = 0;
    for (let i = 0; i < 3000; i++) {
      const l = traffic.next(T0 + BigInt(i) * 3_000_000n);
      const head = l.line.replace(AUDIT, '');
      const audit = AUDIT.exec(l.line)?.groups as Record<'down' | 'up' | 'jwt' | 'trace', string> | undefined;
      if (!fields(head)) continue;
      // The default's fields come first, unchanged: a parser reading the prefix still works.
      expect(audit, l.line).toBeDefined();
      const f = fields(head)!;
      if (audit!.jwt !== '-') {
        const claims = JSON.parse(Buffer.from(audit!.jwt, 'base64url').toString());
        expect(claims.iss).toBe('https://auth.bookinfo.example.com');
        users.add(claims.sub);
        // Sidecars verify tokens inbound only; the gateway on its way out.
        expect(f.cluster === 'inbound|9080||' || l.pod.app === 'istio-ingressgateway').toBe(true);
      }
      if (f.cluster === 'inbound|9080||') {
        inbound++;
        expect(audit!.down).toMatch(/^spiffe:\/\/cluster\.local\/ns\/(default|istio-system)\/sa\/[a-z-]+$/);
      }
      if (f.code === '200') expect(audit!.trace).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    }
    expect(inbound).toBeGreaterThan(500);
    expect(users.size).toBeGreaterThan(3);
  });

  it('keeps the default-format traffic of a seed whatever the identities draw', () => {
    const plain = createTraffic({ seed: 4 });
    const audit = createTraffic({ seed: 4, format: 'istio_audit' });
    let secrets = 0;
    for (let i = 0; i < 2000; i++) {
      const t = T0 + BigInt(i) * 3_000_000n;
      const a = plain.next(t).line;
      expect(a).not.toMatch(SECRET);
      // The audit format's only other change: a leaked credential in some page loads' query.
      const b = audit.next(t).line;
      if (SECRET.test(b)) secrets++;
      expect(b.replace(SECRET, '').startsWith(a)).toBe(true);
    }
    expect(secrets).toBeGreaterThan(0);
  });

  it('audit format: ~5% of the gateway → productpage calls carry a credential in the query', () => {
    const traffic = createTraffic({ seed: 7, format: 'istio_audit' });
    let pages = 0;
    let secrets = 0;
    for (let i = 0; i < 20_000; i++) {
      const l = traffic.next(T0 + BigInt(i) * 3_000_000n);
      if (!/ "GET \/productpage[ ?]/.test(l.line) || l.pod.app !== 'istio-ingressgateway') continue;
      pages++;
      if (SECRET.test(l.line)) secrets++;
    }
    expect(pages).toBeGreaterThan(200);
    expect(secrets / pages).toBeGreaterThan(0.02);
    expect(secrets / pages).toBeLessThan(0.1);
  });
});
