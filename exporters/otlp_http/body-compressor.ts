// Compresses one request body as configured. Async: node:zlib runs gzip and zstd on the libuv
// pool, off the event loop. Chosen once per exporter, not per request.
import { promisify } from 'node:util';
import { constants, gzip as gzipCallback, zstdCompress as zstdCallback } from 'node:zlib';
import { type Compression, DEFAULT_LEVEL, GZIP_HUFFMAN_ONLY } from './compression-options.ts';

const gzip = promisify(gzipCallback);
const zstd = promisify(zstdCallback);

// Output comes back to the event loop one chunk per callback: with zlib's 16 KiB chunks a 1.6 MB
// sealed batch took ~1 ms of main-thread time per request, with 128 KiB ~0.7 ms (/proc thread CPU,
// 40 requests × 6 rounds); larger chunks gave no more.
const CHUNK = 128 * 1024;

export interface BodyCompressor {
  /** The Content-Encoding header value, or undefined when the body is sent as is. */
  readonly contentEncoding: string | undefined;
  compress(bytes: Uint8Array): Promise<Uint8Array>;
}

export function bodyCompressor(compression: Compression, configuredLevel?: number): BodyCompressor {
  if (compression === 'none') return { contentEncoding: undefined, compress: async (bytes) => bytes };
  const level = !configuredLevel || configuredLevel === -1 ? DEFAULT_LEVEL[compression] : configuredLevel;
  if (compression === 'zstd') {
    // The one-shot call writes the content size into the frame, so the window never exceeds the
    // body: the Collector's decoder bounds windows by its max_request_body_size.
    const params = { [constants.ZSTD_c_compressionLevel]: level };
    return { contentEncoding: 'zstd', compress: (bytes) => zstd(bytes, { params, chunkSize: CHUNK }) };
  }
  const options =
    level === GZIP_HUFFMAN_ONLY
      ? { strategy: constants.Z_HUFFMAN_ONLY, chunkSize: CHUNK }
      : { level, chunkSize: CHUNK };
  return { contentEncoding: 'gzip', compress: (bytes) => gzip(bytes, options) };
}
