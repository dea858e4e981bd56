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
};

describe('requestOf / formatRequest', () => {
  it('names the caller by workload on its own proxy, by mTLS identity on the callee', () => {
    expect(formatRequest(requestOf(OUTBOUND)!)).toBe('reviews-v2 → ratings  GET /ratings/0  200  user=-');
    expect(formatRequest(requestOf(DENIED_INBOUND)!)).toBe(
      'default/bookinfo-reviews → ratings  GET /ratings/0  403  user=jason  [rbac default/deny-ratings]',
    );
    expect(requestOf({ ...OUTBOUND, 'envoy.response_flags': ['UF', 'URX'] })!.note).toBe('UF URX');
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
    agg.close();
  });
});
