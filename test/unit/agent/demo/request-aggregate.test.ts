// What the view says about requests: each access record as one line, call paths counted once per
// call (from the caller's proxy), and a denial preferred as the --plain highlight.
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RequestAggregate } from '../../../../agent/demo/request-aggregate.ts';
import { formatRequest, requestOf } from '../../../../agent/demo/request-line.ts';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

const OUTBOUND = {
  'meshtail.log.kind': 'access',
  'mesh.direction': 'outbound',
  'mesh.source.workload': 'reviews-v2',
  'mesh.destination.service': 'ratings',
  'http.request.method': 'GET',
  'url.path': '/ratings/0',
  'http.response.status_code': 200,
};
const DENIED_INBOUND = {
  'meshtail.log.kind': 'access',
  'mesh.direction': 'inbound',
  'mesh.source.principal': 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews',
  'mesh.destination.service': 'ratings',
  'mesh.destination.workload': 'ratings-v1',
  'http.request.method': 'GET',
  'url.path': '/ratings/0',
  'http.response.status_code': 403,
  'meshtail.denial.cause': 'rbac',
  'meshtail.denial.policy': 'default/deny-ratings',
  'user.id': 'jason',
  'meshtail.tenant': 'bookinfo',
};
/** A page load whose query leaked a token, as redact exports it. */
const MASKED_INBOUND = {
  'meshtail.log.kind': 'access',
  'mesh.direction': 'inbound',
  'mesh.source.principal': 'spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account',
  'mesh.destination.service': 'productpage',
  'http.request.method': 'GET',
  'url.path': '/productpage',
  'url.query': 'access_token=[REDACTED:query_secret]',
  'http.response.status_code': 200,
  'user.id': 'alice',
  'meshtail.tenant': 'bookinfo',
};

describe('requestOf / formatRequest', () => {
  it('names the caller by workload on its own proxy, by mTLS identity on the callee', () => {
    expect(formatRequest(requestOf(OUTBOUND)!)).toBe(
      'reviews-v2 → ratings  GET /ratings/0  200  tenant=-  user=-',
    );
    expect(formatRequest(requestOf(DENIED_INBOUND)!)).toBe(
      'default/bookinfo-reviews → ratings  GET /ratings/0  403  tenant=bookinfo  user=jason  [rbac default/deny-ratings]',
    );
    expect(requestOf({ ...OUTBOUND, 'envoy.response_flags': ['UF', 'URX'] })!.note).toBe('UF URX');
  });

  it('shows the tenant and the path with its query as exported, a masked secret included', () => {
    const r = requestOf(MASKED_INBOUND)!;
    expect(formatRequest(r)).toBe(
      'istio-system/istio-ingressgateway-service-account → productpage  ' +
        'GET /productpage?access_token=[REDACTED:query_secret]  200  tenant=bookinfo  user=alice',
    );
    expect(r.masked).toBe(true);
    expect(requestOf(DENIED_INBOUND)!.masked).toBe(false);
  });

  it('skips proxy log lines and lines that did not parse', () => {
    expect(requestOf({ 'meshtail.log.kind': 'proxy' })).toBeUndefined();
    expect(requestOf({ 'meshtail.parse.error': 'truncated' })).toBeUndefined();
  });
});

describe('RequestAggregate', () => {
  it('keeps the last requests, counts each call once, highlights a denial', () => {
    const root = mkdtempSync(join(tmpdir(), 'meshtail-agg-'));
    roots.push(root);
    const file = join(root, 'export.jsonl');
    const line = (records: Record<string, unknown>[]) =>
      JSON.stringify({
        resourceLogs: [
          {
            scopeLogs: [
              {
                logRecords: records.map((r) => ({
                  attributes: Object.entries(r).map(([key, v]) => ({
                    key,
                    value: typeof v === 'number' ? { intValue: String(v) } : { stringValue: v },
                  })),
                })),
              },
            ],
          },
        ],
      });
    appendFileSync(file, `${line([OUTBOUND, DENIED_INBOUND, OUTBOUND, { 'meshtail.log.kind': 'proxy' }])}\n`);
    const agg = new RequestAggregate(file, 2);
    const s = agg.sample();
    expect(s.recent.map((r) => r.direction)).toEqual(['inbound', 'outbound']);
    expect(s.topPaths).toEqual([{ source: 'reviews-v2', destination: 'ratings', calls: 2 }]);
    expect(s.highlight?.denied).toBe(true);
    // Nothing new: the same view, no highlight.
    const again = agg.sample();
    expect(again.highlight).toBeUndefined();
    expect(again.recent).toHaveLength(2);
    // Without a denial, a masked secret beats a request with a user.
    appendFileSync(file, `${line([MASKED_INBOUND, { ...OUTBOUND, 'user.id': 'bob' }])}\n`);
    expect(agg.sample().highlight?.masked).toBe(true);
    agg.close();
  });
});
