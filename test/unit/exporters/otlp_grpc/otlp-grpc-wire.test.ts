// What goes on the wire, seen by a bare node:http2 server (grpc-js hides compression from its
// handlers): the gRPC frame's compressed flag, grpc-encoding, and a body that gunzips to the payload.
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterEach, expect, it } from 'vitest';
import type { Exporter } from '../../../../agent/kit/component.ts';
import { otlpGrpcFactory } from '../../../../exporters/otlp_grpc/factory.ts';
import { exporterValue, testSettings } from '../test-settings.ts';

interface Seen {
  headers: http2.IncomingHttpHeaders;
  frame: Buffer;
}

let server: http2.Http2Server | undefined;
let exporter: Exporter | undefined;
afterEach(async () => {
  await exporter?.shutdown();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
});

async function startRawServer(seen: Seen[]): Promise<number> {
  server = http2.createServer();
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      seen.push({ headers, frame: Buffer.concat(chunks) });
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(Buffer.from([0, 0, 0, 0, 0])); // an uncompressed, empty response message
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return (server!.address() as AddressInfo).port;
}

it('sends a gzip-compressed gRPC frame that decompresses to the payload bytes', async () => {
  const seen: Seen[] = [];
  const port = await startRawServer(seen);
  const settings = testSettings('otlp_grpc/wire');
  exporter = otlpGrpcFactory.create(
    settings,
    otlpGrpcFactory.config.parse({ endpoint: `127.0.0.1:${port}`, tls: { insecure: true } }),
  );
  await exporter.start();
  const bytes = Buffer.from('a protobuf ExportLogsServiceRequest '.repeat(20));
  await exporter.export({ signal: 'logs', bytes: new Uint8Array(bytes), records: 4 });

  expect(seen).toHaveLength(1);
  const { headers, frame } = seen[0]!;
  expect(headers[':path']).toBe('/opentelemetry.proto.collector.logs.v1.LogsService/Export');
  expect(headers['grpc-encoding']).toBe('gzip');
  expect(frame[0]).toBe(1); // compressed flag
  const length = frame.readUInt32BE(1);
  expect(gunzipSync(frame.subarray(5, 5 + length)).equals(bytes)).toBe(true);
  expect(await exporterValue(settings, 'sent_records_total')).toBe(4);
});
