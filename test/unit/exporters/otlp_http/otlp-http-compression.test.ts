// compression: gzip | zstd | none with compression_params.level, as the Collector's confighttp
// names them: levels outside a codec's range are config errors at the line of `level`, and the
// level given is the level used (a smaller body at a higher level; Huffman-only is its own coder).
import { createHash } from 'node:crypto';
import { gunzipSync, zstdDecompressSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigText } from '../../../../agent/config/load-config.ts';
import { defaultRegistry } from '../../../../agent/default-registry.ts';
import type { Exporter, Payload } from '../../../../agent/kit/component.ts';
import { bodyCompressor } from '../../../../exporters/otlp_http/body-compressor.ts';
import { otlpHttpFactory } from '../../../../exporters/otlp_http/factory.ts';
import { FAST_RETRY, testSettings } from '../test-settings.ts';
import { type HttpTestServer, startHttpServer } from './http-test-server.ts';

const configText = (exporter: string) => `
receivers: { filelog: { include: [/tmp/none/*.log] } }
exporters:
  otlp_http:
${exporter}
service:
  data_dir: /tmp/meshtail-unused
  pipelines: { logs: { receivers: [filelog], exporters: [otlp_http] } }
`;

function errorsOf(exporter: string): string[] {
  const result = loadConfigText(configText(exporter), 'agent.yaml', defaultRegistry);
  return result.ok ? [] : result.errors.map((e) => `${e.line}:${e.column}: ${e.message}`);
}

/** Deterministic base64 noise, so sizes compare the same way on every run. */
const sealedLike = (i: number) => createHash('sha256').update(String(i)).digest('base64');

/** Text that compresses (repeated fields) beside base64 that does not, as in a sealed pipeline. */
function otlpLikeBody(): Buffer {
  const parts: string[] = [];
  for (let i = 0; i < 2000; i++)
    parts.push(`GET /productpage?u=${i % 97} 200 reviews.default.svc ${sealedLike(i)}`);
  return Buffer.from(parts.join('\n'));
}

describe('otlp_http compression options', () => {
  it.each([
    ['gzip', 10, 'gzip levels are 1 to 9'],
    ['gzip', -3, 'gzip levels are 1 to 9'],
    ['zstd', 23, 'zstd levels are -131072 to 22'],
    ['zstd', -131073, 'zstd levels are -131072 to 22'],
    ['none', 5, 'a level has nothing to apply to'],
  ])('rejects %s level %i at the level line, naming the range', (compression, level, message) => {
    const errors = errorsOf(
      `    compression: ${compression}\n    compression_params:\n      level: ${level}`,
    );
    expect(errors).toHaveLength(1);
    // Line 7 of the text is `level:`; the message names the option path.
    expect(errors[0]).toMatch(/^7:\d+: /);
    expect(errors[0]).toContain('compression_params.level');
    expect(errors[0]).toContain(message);
  });

  it.each([
    ['gzip', 1],
    ['gzip', 9],
    ['gzip', -1],
    ['gzip', -2],
    ['gzip', 0],
    ['zstd', 1],
    ['zstd', 22],
    ['zstd', -5],
  ])('accepts %s level %i', (compression, level) => {
    expect(errorsOf(`    compression: ${compression}\n    compression_params: { level: ${level} }`)).toEqual(
      [],
    );
  });

  it('rejects a codec the exporter does not have, and a fractional level', () => {
    expect(errorsOf('    compression: lz4')[0]).toMatch(/^5:\d+: .*compression/);
    expect(errorsOf('    compression: zstd\n    compression_params: { level: 2.5 }')[0]).toContain(
      'compression_params.level',
    );
  });
});

describe('otlp_http body compressor', () => {
  const body = otlpLikeBody();

  it('zstd and gzip round-trip; a higher level gives a smaller body', async () => {
    const zstd1 = await bodyCompressor('zstd', 1).compress(body);
    const zstd19 = await bodyCompressor('zstd', 19).compress(body);
    expect(zstdDecompressSync(zstd1).equals(body)).toBe(true);
    expect(zstdDecompressSync(zstd19).equals(body)).toBe(true);
    expect(zstd19.length).toBeLessThan(zstd1.length);
    const gzip1 = await bodyCompressor('gzip', 1).compress(body);
    const gzip9 = await bodyCompressor('gzip', 9).compress(body);
    expect(gunzipSync(gzip1).equals(body)).toBe(true);
    expect(gzip9.length).toBeLessThan(gzip1.length);
  });

  it('unset, 0 and -1 mean the default level: gzip 6, zstd 1', async () => {
    const gzip6 = await bodyCompressor('gzip', 6).compress(body);
    for (const level of [undefined, 0, -1])
      expect(Buffer.from(await bodyCompressor('gzip', level).compress(body)).equals(gzip6)).toBe(true);
    const zstd1 = await bodyCompressor('zstd', 1).compress(body);
    expect(Buffer.from(await bodyCompressor('zstd', 3).compress(body)).equals(zstd1)).toBe(false);
    for (const level of [undefined, 0, -1])
      expect(Buffer.from(await bodyCompressor('zstd', level).compress(body)).equals(zstd1)).toBe(true);
  });

  it('gzip -2 is Huffman coding only: no matches, so larger than level 1 yet smaller than the input', async () => {
    const huffman = await bodyCompressor('gzip', -2).compress(body);
    const gzip1 = await bodyCompressor('gzip', 1).compress(body);
    expect(gunzipSync(huffman).equals(body)).toBe(true);
    expect(huffman.length).toBeGreaterThan(gzip1.length);
    expect(huffman.length).toBeLessThan(body.length);
  });

  it('none sends the bytes as they are, with no Content-Encoding', async () => {
    const none = bodyCompressor('none');
    expect(none.contentEncoding).toBeUndefined();
    expect(await none.compress(body)).toBe(body);
  });
});

describe('otlp_http exporter with zstd', () => {
  let server: HttpTestServer | undefined;
  let exporter: Exporter | undefined;
  afterEach(async () => {
    await exporter?.shutdown();
    await server?.close();
  });

  it('posts a zstd body with content-encoding: zstd', async () => {
    server = await startHttpServer();
    const config = otlpHttpFactory.config.parse({
      endpoint: server.url,
      retry_on_failure: FAST_RETRY,
      compression: 'zstd',
      compression_params: { level: 3 },
    });
    exporter = otlpHttpFactory.create(testSettings('otlp_http/zstd'), config);
    await exporter.start();
    const bytes = otlpLikeBody();
    const payload: Payload = { signal: 'logs', bytes: new Uint8Array(bytes), records: 1 };
    await exporter.export(payload);
    const request = server.requests[0]!;
    expect(request.headers['content-encoding']).toBe('zstd');
    expect(request.raw.length).toBeLessThan(bytes.length);
    expect(zstdDecompressSync(request.raw).equals(bytes)).toBe(true);
  });
});

describe('otlp_http and the payload after export', () => {
  // An uncompressed body is the payload's own bytes, written by the socket: the pipeline must not
  // free them while a write may be pending. A compressed body is a copy.
  it('releases payloads only when it sends a compressed copy', () => {
    const settings = testSettings('otlp_http/release');
    const exporterWith = (compression: string) =>
      otlpHttpFactory.create(
        settings,
        otlpHttpFactory.config.parse({ endpoint: 'http://127.0.0.1:9', compression }),
      );
    expect(exporterWith('none').releasesPayload).toBe(false);
    expect(exporterWith('gzip').releasesPayload).toBe(true);
    expect(exporterWith('zstd').releasesPayload).toBe(true);
  });
});
