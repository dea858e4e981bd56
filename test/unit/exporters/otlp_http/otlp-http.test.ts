import { afterEach, describe, expect, it } from 'vitest';
import type { Exporter, Payload } from '../../../../agent/kit/component.ts';
import { otlpHttpFactory } from '../../../../exporters/otlp_http/factory.ts';
import { partialSuccessResponse } from '../proto-test-writer.ts';
import { exporterValue, FAST_RETRY, type TestSettings, testSettings } from '../test-settings.ts';
import { type HttpTestServer, startHttpServer } from './http-test-server.ts';

const SECRET = 'sk-http-secret-42';
const payload = (signal: Payload['signal'] = 'logs', records = 3, text = 'otlp request bytes'): Payload => ({
  signal,
  bytes: new Uint8Array(Buffer.from(text)),
  records,
});

let server: HttpTestServer | undefined;
let exporter: Exporter | undefined;
afterEach(async () => {
  await exporter?.shutdown();
  await server?.close();
  exporter = undefined;
  server = undefined;
});

async function setup(options: Record<string, unknown> = {}, id = 'otlp_http/test') {
  server ??= await startHttpServer();
  const settings = testSettings(id);
  exporter = otlpHttpFactory.create(
    settings,
    otlpHttpFactory.config.parse({ endpoint: server.url, retry_on_failure: FAST_RETRY, ...options }),
  );
  await exporter.start();
  return { server, exporter, settings };
}

const noSecret = (s: TestSettings) => expect(s.logLines.join('')).not.toContain(SECRET);

describe('otlp_http exporter', () => {
  it('posts gzip protobuf to /v1/<signal> with the configured headers', async () => {
    const { server, exporter, settings } = await setup({ headers: { 'x-api-key': SECRET } });
    await exporter.export(payload('logs', 1, 'logs-bytes'));
    await exporter.export(payload('traces', 2, 'traces-bytes'));
    await exporter.export(payload('metrics', 3, 'metrics-bytes'));
    expect(server.requests.map((r) => r.path)).toEqual(['/v1/logs', '/v1/traces', '/v1/metrics']);
    expect(server.requests.map((r) => r.body.toString())).toEqual([
      'logs-bytes',
      'traces-bytes',
      'metrics-bytes',
    ]);
    const first = server.requests[0]!;
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(first.raw.equals(first.body)).toBe(false);
    expect(first.headers['content-type']).toBe('application/x-protobuf');
    expect(first.headers['x-api-key']).toBe(SECRET);
    expect(await exporterValue(settings, 'sent_records_total')).toBe(6);
  });

  it('uses per-signal endpoint overrides as given, and no compression when asked', async () => {
    server = await startHttpServer();
    const { exporter } = await setup({ compression: 'none', logs_endpoint: `${server.url}/custom/logs` });
    await exporter.export(payload('logs'));
    await exporter.export(payload('traces'));
    expect(server.requests.map((r) => r.path)).toEqual(['/custom/logs', '/v1/traces']);
    expect(server.requests[0]!.headers['content-encoding']).toBeUndefined();
    expect(server.requests[0]!.raw.toString()).toBe('otlp request bytes');
  });

  it('retries 503 honouring Retry-After in place of its own (hour-long) backoff', async () => {
    // initial_interval is an hour: the test can only finish if the server's delay is used.
    const { server, exporter, settings } = await setup({
      retry_on_failure: { initial_interval: '1h', max_interval: '1h', max_elapsed_time: 0 },
    });
    const pastDate = new Date(Date.now() - 60_000).toUTCString();
    server.answer = (_r, n) =>
      n === 1
        ? { status: 503, headers: { 'retry-after': '0' } }
        : n === 2
          ? { status: 429, headers: { 'retry-after': pastDate } }
          : { status: 200 };
    await exporter.export(payload());
    expect(server.requests).toHaveLength(3);
    expect(await exporterValue(settings, 'retries_total')).toBe(2);
    expect(await exporterValue(settings, 'sent_records_total')).toBe(3);
  });

  it('retries 502 and 504, and treats 400 and 500 as permanent', async () => {
    const { server, exporter, settings } = await setup({ headers: { authorization: SECRET } });
    const script = [502, 504, 200, 400, 500];
    server.answer = (_r, n) => ({
      status: script[n - 1] ?? 200,
      headers: { 'content-type': 'text/plain' },
      body: 'server says no',
    });
    await exporter.export(payload('logs', 2));
    await exporter.export(payload('logs', 5));
    await exporter.export(payload('logs', 7));
    expect(server.requests).toHaveLength(5);
    expect(await exporterValue(settings, 'retries_total')).toBe(2);
    expect(await exporterValue(settings, 'sent_records_total')).toBe(2);
    expect(await exporterValue(settings, 'failed_records_total', { reason: 'permanent' })).toBe(12);
    const givenUp = settings.logLines.filter((l) => l.includes('payload given up'));
    expect(givenUp).toHaveLength(2);
    expect(givenUp[0]).toContain('HTTP 400: server says no');
    noSecret(settings);
  });

  it('counts protobuf partial success rejections as failed, once, without retrying', async () => {
    const { server, exporter, settings } = await setup();
    server.answer = () => ({
      status: 200,
      headers: { 'content-type': 'application/x-protobuf' },
      body: partialSuccessResponse(4, 'four spans without ids'),
    });
    await exporter.export(payload('traces', 10));
    expect(server.requests).toHaveLength(1);
    expect(await exporterValue(settings, 'sent_records_total')).toBe(6);
    expect(await exporterValue(settings, 'failed_records_total', { reason: 'rejected' })).toBe(4);
    expect(settings.logLines.filter((l) => l.includes('four spans without ids'))).toHaveLength(1);
  });

  it('sends OTLP/JSON with encoding json and reads a JSON partial success', async () => {
    const { server, exporter, settings } = await setup({ encoding: 'json' });
    expect(exporter.encoding).toBe('json');
    server.answer = () => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ partialSuccess: { rejectedLogRecords: '2', errorMessage: 'too large' } }),
    });
    await exporter.export(payload('logs', 3, '{"resourceLogs":[]}'));
    expect(server.requests[0]!.headers['content-type']).toBe('application/json');
    expect(server.requests[0]!.body.toString()).toBe('{"resourceLogs":[]}');
    expect(await exporterValue(settings, 'sent_records_total')).toBe(1);
    expect(await exporterValue(settings, 'failed_records_total', { reason: 'rejected' })).toBe(2);
  });

  it('retries connection errors, then gives up with retries_exhausted', async () => {
    server = await startHttpServer();
    const url = server.url;
    await server.close();
    server = undefined;
    const settings = testSettings('otlp_http/refused');
    exporter = otlpHttpFactory.create(
      settings,
      otlpHttpFactory.config.parse({
        endpoint: url,
        headers: { authorization: SECRET },
        retry_on_failure: { initial_interval: '5ms', max_interval: '10ms', max_elapsed_time: '100ms' },
      }),
    );
    await exporter.start();
    await exporter.export(payload());
    expect(await exporterValue(settings, 'retries_total')).toBeGreaterThan(0);
    expect(await exporterValue(settings, 'failed_records_total', { reason: 'retries_exhausted' })).toBe(3);
    expect(settings.logLines.join('')).toContain('ECONNREFUSED');
    noSecret(settings);
  });

  it('rejects a config with an unknown key or a non-http endpoint', () => {
    expect(otlpHttpFactory.config.safeParse({ endpoint: 'localhost:4318' }).success).toBe(false);
    expect(otlpHttpFactory.config.safeParse({ endpointt: 'http://x:1' }).success).toBe(false);
    expect(otlpHttpFactory.config.safeParse({}).success).toBe(true);
  });
});
