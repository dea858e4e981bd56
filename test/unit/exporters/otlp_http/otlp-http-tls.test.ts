// https with a CA file and mutual TLS, certificates made by openssl at test time.
import { afterEach, beforeAll, expect, it } from 'vitest';
import type { Exporter } from '../../../../agent/kit/component.ts';
import { otlpHttpFactory } from '../../../../exporters/otlp_http/factory.ts';
import { makeTestCerts, type TestCerts } from '../test-certs.ts';
import { exporterValue, testSettings } from '../test-settings.ts';
import { type HttpTestServer, startHttpServer } from './http-test-server.ts';

let certs: TestCerts;
let server: HttpTestServer | undefined;
let exporter: Exporter | undefined;
beforeAll(() => {
  certs = makeTestCerts();
});
afterEach(async () => {
  await exporter?.shutdown();
  await server?.close();
  exporter = undefined;
});

const serverTls = (requestCert: boolean) => ({
  key: certs.read(certs.serverKeyFile),
  cert: certs.read(certs.serverCertFile),
  ca: certs.read(certs.caFile),
  requestCert,
  rejectUnauthorized: requestCert,
});

async function exportOnce(tls: Record<string, unknown>, id: string) {
  const settings = testSettings(id);
  exporter = otlpHttpFactory.create(
    settings,
    otlpHttpFactory.config.parse({
      endpoint: server!.url,
      tls,
      retry_on_failure: { initial_interval: '5ms', max_interval: '10ms', max_elapsed_time: '100ms' },
    }),
  );
  await exporter.start();
  await exporter.export({ signal: 'metrics', bytes: new Uint8Array([9, 9]), records: 2 });
  await exporter.shutdown();
  return settings;
}

it('verifies the server with ca_file and honours server_name_override', async () => {
  server = await startHttpServer(serverTls(false));
  expect(
    await exporterValue(await exportOnce({ ca_file: certs.caFile }, 'otlp_http/ca'), 'sent_records_total'),
  ).toBe(2);
  const sni = await exportOnce({ ca_file: certs.caFile, server_name_override: 'otel.test' }, 'otlp_http/sni');
  expect(await exporterValue(sni, 'sent_records_total')).toBe(2);
  const untrusted = await exportOnce({}, 'otlp_http/untrusted');
  expect(await exporterValue(untrusted, 'failed_records_total')).toBe(2);
  expect(server.requests).toHaveLength(2);
});

it('presents the client certificate for mutual TLS', async () => {
  server = await startHttpServer(serverTls(true));
  const mtls = await exportOnce(
    { ca_file: certs.caFile, cert_file: certs.clientCertFile, key_file: certs.clientKeyFile },
    'otlp_http/mtls',
  );
  expect(await exporterValue(mtls, 'sent_records_total')).toBe(2);
  const noCert = await exportOnce({ ca_file: certs.caFile }, 'otlp_http/nocert');
  expect(await exporterValue(noCert, 'failed_records_total')).toBe(2);
  expect(server.requests).toHaveLength(1);
  expect(noCert.logLines.join('')).not.toContain('PRIVATE KEY');
});

it('names the option when a TLS file is missing, at start', async () => {
  server = await startHttpServer(serverTls(false));
  const settings = testSettings('otlp_http/missing');
  exporter = otlpHttpFactory.create(
    settings,
    otlpHttpFactory.config.parse({ endpoint: server.url, tls: { ca_file: '/nonexistent/ca.pem' } }),
  );
  await expect(exporter.start()).rejects.toThrow(/tls\.ca_file: cannot read \/nonexistent\/ca\.pem: ENOENT/);
});
