import { ServerCredentials, status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Exporter, Payload } from '../../../../agent/kit/component.ts';
import { otlpGrpcFactory } from '../../../../exporters/otlp_grpc/factory.ts';
import { partialSuccessResponse, rpcStatus } from '../proto-test-writer.ts';
import { exporterValue, FAST_RETRY, type TestSettings, testSettings } from '../test-settings.ts';
import { type GrpcTestServer, startGrpcServer } from './grpc-test-server.ts';

const SECRET = 'sk-test-0123456789';
const payload = (signal: Payload['signal'] = 'logs', records = 3): Payload => ({
  signal,
  bytes: new Uint8Array(Buffer.from(`otlp-${signal}-bytes-${'x'.repeat(200)}`)),
  records,
});

let server: GrpcTestServer | undefined;
let exporter: Exporter | undefined;
afterEach(async () => {
  await exporter?.shutdown();
  await server?.close();
  exporter = undefined;
  server = undefined;
});

async function insecureSetup(options: Record<string, unknown> = {}) {
  server = await startGrpcServer(ServerCredentials.createInsecure());
  const settings = testSettings('otlp_grpc/test');
  const config = otlpGrpcFactory.config.parse({
    endpoint: `127.0.0.1:${server.port}`,
    tls: { insecure: true },
    retry_on_failure: FAST_RETRY,
    ...options,
  });
  exporter = otlpGrpcFactory.create(settings, config);
  await exporter.start();
  return { server, exporter, settings };
}

const noSecretLogged = (s: TestSettings) => expect(s.logLines.join('')).not.toContain(SECRET);

describe('otlp_grpc exporter', () => {
  it('retries UNAVAILABLE and delivers the same bytes, gzip-compressed, with headers', async () => {
    const { server, exporter, settings } = await insecureSetup({ headers: { 'X-Api-Key': SECRET } });
    server.answer = (_c, n) =>
      n <= 2 ? { code: status.UNAVAILABLE, message: 'backend restarting' } : { ok: Buffer.alloc(0) };
    const p = payload();
    await exporter.export(p);
    expect(server.calls).toHaveLength(3);
    for (const call of server.calls) {
      expect(call.path).toBe('/opentelemetry.proto.collector.logs.v1.LogsService/Export');
      expect(Buffer.compare(call.bytes, Buffer.from(p.bytes))).toBe(0);
      expect(call.metadata['x-api-key']).toBe(SECRET);
    }
    expect(await exporterValue(settings, 'sent_records_total')).toBe(3);
    expect(await exporterValue(settings, 'retries_total')).toBe(2);
    expect(await exporterValue(settings, 'failed_records_total')).toBe(0);
    noSecretLogged(settings);
  });

  it('sends traces and metrics to their own services, uncompressed when asked', async () => {
    const { server, exporter, settings } = await insecureSetup({ compression: 'none' });
    await exporter.export(payload('traces', 2));
    await exporter.export(payload('metrics', 5));
    expect(server.calls.map((c) => c.path)).toEqual([
      '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
    ]);
    expect(await exporterValue(settings, 'sent_records_total')).toBe(7);
  });

  it('retries RESOURCE_EXHAUSTED when the status carries RetryInfo', async () => {
    const { server, exporter, settings } = await insecureSetup();
    server.answer = (_c, n) =>
      n === 1
        ? {
            code: status.RESOURCE_EXHAUSTED,
            message: 'slow down',
            statusDetails: rpcStatus(8, 'slow down', 20),
          }
        : { ok: Buffer.alloc(0) };
    await exporter.export(payload());
    expect(server.calls).toHaveLength(2);
    expect(await exporterValue(settings, 'retries_total')).toBe(1);
    expect(await exporterValue(settings, 'sent_records_total')).toBe(3);
  });

  it('gives up on RESOURCE_EXHAUSTED without RetryInfo, and on INVALID_ARGUMENT, logging once', async () => {
    const { server, exporter, settings } = await insecureSetup({
      headers: { authorization: `Bearer ${SECRET}` },
    });
    server.answer = (_c, n) =>
      n === 1
        ? { code: status.RESOURCE_EXHAUSTED, message: 'quota', statusDetails: rpcStatus(8, 'quota') }
        : { code: status.INVALID_ARGUMENT, message: 'bad proto' };
    await exporter.export(payload('logs', 4));
    await exporter.export(payload('logs', 6));
    expect(server.calls).toHaveLength(2);
    expect(await exporterValue(settings, 'failed_records_total', { reason: 'permanent' })).toBe(10);
    expect(await exporterValue(settings, 'retries_total')).toBe(0);
    const givenUp = settings.logLines.filter((l) => l.includes('payload given up'));
    expect(givenUp).toHaveLength(2);
    expect(givenUp[1]).toContain('INVALID_ARGUMENT');
    noSecretLogged(settings);
  });

  it('counts partial success rejections as failed without retrying', async () => {
    const { server, exporter, settings } = await insecureSetup();
    server.answer = () => ({ ok: partialSuccessResponse(2, 'two records too old') });
    await exporter.export(payload('logs', 5));
    expect(server.calls).toHaveLength(1);
    expect(await exporterValue(settings, 'sent_records_total')).toBe(3);
    expect(await exporterValue(settings, 'failed_records_total', { reason: 'rejected' })).toBe(2);
    expect(settings.logLines.filter((l) => l.includes('two records too old'))).toHaveLength(1);
  });

  it('gives up after max_elapsed_time with reason retries_exhausted', async () => {
    const { server, exporter, settings } = await insecureSetup({
      retry_on_failure: { initial_interval: '5ms', max_interval: '10ms', max_elapsed_time: '100ms' },
    });
    server.answer = () => ({ code: status.UNAVAILABLE, message: 'down' });
    await exporter.export(payload());
    expect(server.calls.length).toBeGreaterThan(1);
    expect(await exporterValue(settings, 'retries_total')).toBe(server.calls.length - 1);
    expect(await exporterValue(settings, 'failed_records_total', { reason: 'retries_exhausted' })).toBe(3);
  });

  it('retries while the server is down and delivers once it is up', async () => {
    const settings = testSettings('otlp_grpc/outage');
    // Find a free port by starting and stopping a server, then send to it while nothing listens.
    const probe = await startGrpcServer(ServerCredentials.createInsecure());
    const port = probe.port;
    await probe.close();
    const config = otlpGrpcFactory.config.parse({
      endpoint: `127.0.0.1:${port}`,
      tls: { insecure: true },
      retry_on_failure: FAST_RETRY,
    });
    exporter = otlpGrpcFactory.create(settings, config);
    await exporter.start();
    const done = exporter.export(payload());
    for (let i = 0; i < 200 && (await exporterValue(settings, 'retries_total')) < 2; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    server = await startGrpcServer(ServerCredentials.createInsecure(), port);
    await done;
    expect(server.calls).toHaveLength(1);
    expect(await exporterValue(settings, 'sent_records_total')).toBe(3);
  });
});
