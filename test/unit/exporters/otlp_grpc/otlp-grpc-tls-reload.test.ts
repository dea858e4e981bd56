// TLS files are read again when they change under a running gRPC exporter: the client certificate
// the server requires appears in cert_file/key_file (as a Secret update puts it there), and the next
// call uses a new channel with it, without a restart.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerCredentials } from '@grpc/grpc-js';
import { afterEach, expect, it } from 'vitest';
import type { Exporter } from '../../../../agent/kit/component.ts';
import { otlpGrpcFactory } from '../../../../exporters/otlp_grpc/factory.ts';
import { makeTestCerts } from '../test-certs.ts';
import { exporterValue, testSettings } from '../test-settings.ts';
import { type GrpcTestServer, startGrpcServer } from './grpc-test-server.ts';

let server: GrpcTestServer | undefined;
let exporter: Exporter | undefined;
afterEach(async () => {
  await exporter?.shutdown();
  await server?.close();
});

it('reloads changed client certificate files before the next call', async () => {
  const certs = makeTestCerts();
  const other = makeTestCerts(); // a client certificate from a CA the server does not trust
  server = await startGrpcServer(
    ServerCredentials.createSsl(
      certs.read(certs.caFile),
      [{ private_key: certs.read(certs.serverKeyFile), cert_chain: certs.read(certs.serverCertFile) }],
      true,
    ),
  );
  const dir = mkdtempSync(join(tmpdir(), 'meshtail-grpc-tls-'));
  const cert = join(dir, 'client.pem');
  const key = join(dir, 'client.key');
  copyFileSync(other.clientCertFile, cert);
  copyFileSync(other.clientKeyFile, key);
  const settings = testSettings('otlp_grpc/reload');
  exporter = otlpGrpcFactory.create(
    settings,
    otlpGrpcFactory.config.parse({
      endpoint: `127.0.0.1:${server.port}`,
      tls: { ca_file: certs.caFile, cert_file: cert, key_file: key },
      retry_on_failure: { initial_interval: '5ms', max_interval: '10ms', max_elapsed_time: '150ms' },
    }),
  );
  await exporter.start();
  await exporter.export({ signal: 'logs', bytes: new Uint8Array([1]), records: 1 });
  expect(await exporterValue(settings, 'failed_records_total')).toBe(1);
  copyFileSync(certs.clientCertFile, cert);
  copyFileSync(certs.clientKeyFile, key);
  await exporter.export({ signal: 'logs', bytes: new Uint8Array([2]), records: 1 });
  expect(await exporterValue(settings, 'sent_records_total')).toBe(1);
  expect(server.calls).toHaveLength(1);
});
