// TLS and mutual TLS against a real grpc-js server, with certificates made by openssl at test time.
import { ServerCredentials } from '@grpc/grpc-js';
import { afterEach, beforeAll, expect, it } from 'vitest';
import type { Exporter } from '../../../../agent/kit/component.ts';
import { otlpGrpcFactory } from '../../../../exporters/otlp_grpc/factory.ts';
import { makeTestCerts, type TestCerts } from '../test-certs.ts';
import { exporterValue, testSettings } from '../test-settings.ts';
import { type GrpcTestServer, startGrpcServer } from './grpc-test-server.ts';

let certs: TestCerts;
let server: GrpcTestServer | undefined;
let exporter: Exporter | undefined;
beforeAll(() => {
  certs = makeTestCerts();
});
afterEach(async () => {
  await exporter?.shutdown();
  await server?.close();
  exporter = undefined;
});

function serverCreds(requireClientCert: boolean) {
  return ServerCredentials.createSsl(
    certs.read(certs.caFile),
    [{ private_key: certs.read(certs.serverKeyFile), cert_chain: certs.read(certs.serverCertFile) }],
    requireClientCert,
  );
}

async function exportOnce(tls: Record<string, unknown>, id: string) {
  const settings = testSettings(id);
  exporter = otlpGrpcFactory.create(
    settings,
    otlpGrpcFactory.config.parse({
      endpoint: `127.0.0.1:${server!.port}`,
      tls,
      retry_on_failure: { initial_interval: '5ms', max_interval: '10ms', max_elapsed_time: '150ms' },
    }),
  );
  await exporter.start();
  await exporter.export({ signal: 'logs', bytes: new Uint8Array([1, 2, 3]), records: 2 });
  return settings;
}

it('verifies the server with ca_file', async () => {
  server = await startGrpcServer(serverCreds(false));
  const settings = await exportOnce({ ca_file: certs.caFile }, 'otlp_grpc/tls');
  expect(server.calls).toHaveLength(1);
  expect(await exporterValue(settings, 'sent_records_total')).toBe(2);
});

it('checks the overridden server name against the certificate', async () => {
  server = await startGrpcServer(serverCreds(false));
  const ok = await exportOnce({ ca_file: certs.caFile, server_name_override: 'otel.test' }, 'otlp_grpc/sni');
  expect(await exporterValue(ok, 'sent_records_total')).toBe(2);
  await exporter!.shutdown();
  const bad = await exportOnce(
    { ca_file: certs.caFile, server_name_override: 'not-in-cert.test' },
    'otlp_grpc/sni2',
  );
  expect(await exporterValue(bad, 'sent_records_total')).toBe(0);
  expect(await exporterValue(bad, 'failed_records_total')).toBe(2);
});

it('authenticates with a client certificate (mTLS) and fails without one', async () => {
  server = await startGrpcServer(serverCreds(true));
  const withCert = await exportOnce(
    { ca_file: certs.caFile, cert_file: certs.clientCertFile, key_file: certs.clientKeyFile },
    'otlp_grpc/mtls',
  );
  expect(await exporterValue(withCert, 'sent_records_total')).toBe(2);
  expect(server.calls).toHaveLength(1);
  await exporter!.shutdown();

  const without = await exportOnce({ ca_file: certs.caFile }, 'otlp_grpc/nocert');
  expect(server.calls).toHaveLength(1);
  expect(await exporterValue(without, 'failed_records_total', { reason: 'retries_exhausted' })).toBe(2);
  const logged = without.logLines.join('');
  expect(logged).not.toContain('PRIVATE KEY');
});

it('rejects an untrusted server unless insecure_skip_verify is set', async () => {
  server = await startGrpcServer(serverCreds(false));
  const strict = await exportOnce({}, 'otlp_grpc/strict');
  expect(await exporterValue(strict, 'failed_records_total')).toBe(2);
  await exporter!.shutdown();
  const skip = await exportOnce({ insecure_skip_verify: true }, 'otlp_grpc/skip');
  expect(await exporterValue(skip, 'sent_records_total')).toBe(2);
});

it('requires cert_file and key_file together', () => {
  const r = otlpGrpcFactory.config.safeParse({ tls: { cert_file: '/x.crt' } });
  expect(r.success).toBe(false);
});
