// The alertmanager transport against a node:http server on 127.0.0.1 standing in for Alertmanager
// and for a webhook: mapping, resend while firing, resolve with endsAt, the HMAC signature, and
// non-anomaly payloads settled without a request.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeLogs } from '../../../../agent/kit/otlp/encoder.ts';
import type { LogRecord } from '../../../../agent/kit/record/record.ts';
import { alertmanagerConfig } from '../../../../exporters/alertmanager/config.ts';
import { AlertmanagerTransport, SIGNATURE_HEADER } from '../../../../exporters/alertmanager/transport.ts';
import { NonceCache, verifyWebhookSignature } from '../../../../exporters/alertmanager/webhook-signature.ts';
import { type AnomalyEvent, toLogRecord } from '../../../../processors/anomaly/anomaly-event.ts';
import { accessRecord } from '../../../support/mesh-traffic.ts';

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let server: Server;
let base = '';
const received: Received[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      // /status/<code>/... answers <code>, for the error cases.
      const code = /^\/status\/(\d{3})\//.exec(req.url ?? '')?.[1];
      res.writeHead(code ? Number(code) : 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  received.length = 0;
});

const T0 = Date.UTC(2026, 10, 2, 10, 0, 0);

function storm(state: 'firing' | 'resolved'): LogRecord {
  const e: AnomalyEvent = {
    kind: 'access_denied',
    scope: 'source',
    key: 'intruder',
    active: state === 'firing',
    observed: 150,
    baseline: 0,
    score: 150,
    state,
    at: state === 'firing' ? T0 + 120_000 : T0 + 600_000,
    since: T0,
    namespace: 'shop',
    topSources: ['intruder=150'],
    requestIds: ['req-1', 'req-2'],
  };
  return toLogRecord(e, T0);
}

const payload = (records: LogRecord[]) => ({
  signal: 'logs' as const,
  bytes: encodeLogs([{ resource: {}, scope: { name: 'meshtail/anomaly' }, records }], 'json'),
  records: records.length,
});

const transport = (extra: Record<string, unknown> = {}) =>
  new AlertmanagerTransport(alertmanagerConfig.parse({ endpoint: base, resend_interval: '0s', ...extra }));

const alertsOf = (r: Received | undefined) => JSON.parse(r?.body ?? '[]') as Record<string, never>[];

describe('alertmanager transport', () => {
  it('maps an anomaly record to an API v2 alert: labels, annotations, startsAt', async () => {
    const t = transport();
    expect(await t.send(payload([storm('firing')]), AbortSignal.timeout(5000))).toEqual({ kind: 'success' });
    expect(received.map((r) => r.path)).toEqual(['/api/v2/alerts']);
    expect(received[0]?.headers['content-type']).toBe('application/json');
    const [alert] = alertsOf(received[0]);
    expect(alert).toEqual({
      labels: {
        alertname: 'meshtail_anomaly_access_denied',
        severity: 'critical',
        namespace: 'shop',
        source: 'intruder',
        scope: 'source',
      },
      annotations: {
        summary: 'access_denied on source intruder: observed 150, baseline 0, score 150',
        observed: '150',
        baseline: '0',
        score: '150',
        top_sources: 'intruder=150',
        request_ids: 'req-1, req-2',
      },
      startsAt: new Date(T0).toISOString(),
    });
    expect(t.firing).toBe(1);
  });

  it('re-sends firing alerts until they resolve, and resolves with endsAt', async () => {
    const t = transport();
    await t.send(payload([storm('firing')]), AbortSignal.timeout(5000));
    await t.resend();
    expect(received).toHaveLength(2);
    expect(alertsOf(received[1])[0]).toEqual(alertsOf(received[0])[0]);

    await t.send(payload([storm('resolved')]), AbortSignal.timeout(5000));
    const resolved = alertsOf(received[2])[0] as unknown as {
      labels: object;
      endsAt: string;
      startsAt: string;
    };
    expect(resolved.labels).toEqual(alertsOf(received[0])[0]?.labels);
    expect(resolved.startsAt).toBe(new Date(T0).toISOString());
    expect(resolved.endsAt).toBe(new Date(T0 + 600_000).toISOString());
    expect(t.firing).toBe(0);
    await t.resend();
    expect(received).toHaveLength(3); // nothing firing: nothing re-sent
  });

  it('signs the webhook copy with HMAC-SHA256 over a timestamp, a nonce and the body', async () => {
    const secret = 'hook-secret';
    const t = transport({ webhook: { endpoint: `${base}/hook`, secret } });
    await t.send(payload([storm('firing')]), AbortSignal.timeout(5000));
    expect(received.map((r) => r.path)).toEqual(['/api/v2/alerts', '/hook']);
    const hook = received[1]!;
    expect(hook.body).toBe(received[0]?.body);
    const header = String(hook.headers[SIGNATURE_HEADER]);
    expect(header).toMatch(/^t=\d+,n=[0-9a-f]{32},v1=[0-9a-f]{64}$/);
    const nonces = new NonceCache();
    expect(verifyWebhookSignature('other', header, hook.body, nonces)).toMatchObject({ ok: false });
    expect(verifyWebhookSignature(secret, header, hook.body, nonces)).toEqual({ ok: true });
    expect(verifyWebhookSignature(secret, header, hook.body, nonces)).toMatchObject({ ok: false });
    expect(received[0]?.headers[SIGNATURE_HEADER]).toBeUndefined(); // the secret stays off Alertmanager
  });

  it('ignores records that are not anomalies and settles them without a request', async () => {
    const t = transport();
    const access = accessRecord(T0, { src: 'a', dst: 'b', status: 403, duration: 1, path: '/' }, 'r');
    expect(await t.send(payload([access]), AbortSignal.timeout(5000))).toEqual({ kind: 'success' });
    expect(
      await t.send({ signal: 'metrics', bytes: new Uint8Array(), records: 0 }, AbortSignal.timeout(5000)),
    ).toEqual({
      kind: 'success',
    });
    expect(received).toHaveLength(0);
    expect(t.firing).toBe(0);
  });

  it('reports Alertmanager errors: 5xx and 429 retryable, other 4xx permanent; a trailing slash is fine', async () => {
    const at = (path: string) =>
      new AlertmanagerTransport(
        alertmanagerConfig.parse({ endpoint: `${base}${path}`, resend_interval: '0s' }),
      );
    const send = (path: string) => at(path).send(payload([storm('firing')]), AbortSignal.timeout(5000));
    expect((await send('/status/503')).kind).toBe('retryable');
    expect((await send('/status/429')).kind).toBe('retryable');
    expect((await send('/status/400')).kind).toBe('permanent');
    expect((await send('/')).kind).toBe('success');
    expect(received.at(-1)?.path).toBe('/api/v2/alerts');
  });
});
