// TLS files are read again when they change under a running exporter: a CA that did not sign the
// server, replaced by the one that did (as a Secret update does), is used from the next request on
// without a restart.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { Exporter } from '../../../../agent/kit/component.ts';
import { otlpHttpFactory } from '../../../../exporters/otlp_http/factory.ts';
import { makeTestCerts } from '../test-certs.ts';
import { exporterValue, testSettings } from '../test-settings.ts';
import { type HttpTestServer, startHttpServer } from './http-test-server.ts';

let server: HttpTestServer | undefined;
let exporter: Exporter | undefined;
afterEach(async () => {
  await exporter?.shutdown();
  await server?.close();
});

it('reloads a changed ca_file before the next request', async () => {
  const certs = makeTestCerts();
  server = await startHttpServer({
    key: certs.read(certs.serverKeyFile),
    cert: certs.read(certs.serverCertFile),
  });
  const ca = join(mkdtempSync(join(tmpdir(), 'meshtail-tls-')), 'ca.pem');
  copyFileSync(certs.clientCertFile, ca); // a certificate, but not the CA that signed the server
  const settings = testSettings('otlp_http/reload');
  exporter = otlpHttpFactory.create(
    settings,
    otlpHttpFactory.config.parse({
      endpoint: server.url,
      tls: { ca_file: ca },
      retry_on_failure: { initial_interval: '5ms', max_interval: '10ms', max_elapsed_time: '100ms' },
    }),
  );
  await exporter.start();
  await exporter.export({ signal: 'metrics', bytes: new Uint8Array([1]), records: 1 });
  expect(await exporterValue(settings, 'failed_records_total')).toBe(1);
  copyFileSync(certs.caFile, ca);
  await exporter.export({ signal: 'metrics', bytes: new Uint8Array([2]), records: 1 });
  expect(await exporterValue(settings, 'sent_records_total')).toBe(1);
  expect(server.requests).toHaveLength(1);
});
