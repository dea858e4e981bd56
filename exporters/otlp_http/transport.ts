// POSTs one encoded OTLP request with node:http/node:https over kept-alive connections. The body
// is compressed here (once per attempt is cheap next to the network; the payload bytes are reused).
import type { Agent as HttpAgent } from 'node:http';
import https from 'node:https';
import type { Payload } from '../../agent/kit/component.ts';
import { TlsReload } from '../../agent/kit/exporter-helper/tls-reload.ts';
import type { SendResult, Transport } from '../../agent/kit/exporter-helper/transport.ts';
import { nodeHttp as http } from '../../agent/kit/node-http.ts';
import type { Signal } from '../../agent/kit/record/signal.ts';
import { retryable } from '../../agent/kit/retry/send-result.ts';
import { type BodyCompressor, bodyCompressor } from './body-compressor.ts';
import type { OtlpHttpConfig } from './config.ts';
import { resultFromHttpResponse } from './http-status.ts';

const CONTENT_TYPE = { proto: 'application/x-protobuf', json: 'application/json' } as const;
/** Response bodies are small (partial success or an error); stop reading past this. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export function signalUrl(config: OtlpHttpConfig, signal: Signal): URL {
  const override = config[`${signal}_endpoint`];
  if (override) return new URL(override);
  return new URL(`${config.endpoint.replace(/\/+$/, '')}/v1/${signal}`);
}

export class HttpTransport implements Transport {
  readonly #config: OtlpHttpConfig;
  readonly #urls: Record<Signal, URL>;
  #httpAgent: HttpAgent | undefined;
  #httpsAgent: https.Agent | undefined;
  readonly #tlsFiles: TlsReload;
  readonly #compressor: BodyCompressor;
  /** A compressed body is a copy; an uncompressed one is the payload itself, written by the socket. */
  readonly releasesPayload: boolean;

  constructor(config: OtlpHttpConfig) {
    this.#config = config;
    this.#compressor = bodyCompressor(config.compression, config.compression_params.level);
    this.releasesPayload = config.compression !== 'none';
    this.#tlsFiles = new TlsReload(config.tls);
    this.#urls = {
      logs: signalUrl(config, 'logs'),
      traces: signalUrl(config, 'traces'),
      metrics: signalUrl(config, 'metrics'),
    };
  }

  async start(): Promise<void> {
    this.#httpAgent = new http.Agent({ keepAlive: true });
    this.#httpsAgent = await this.#newHttpsAgent();
  }

  async #newHttpsAgent(): Promise<https.Agent> {
    const tls = this.#config.tls;
    return new https.Agent({
      keepAlive: true,
      ...(await this.#tlsFiles.load()),
      rejectUnauthorized: !tls.insecure_skip_verify,
      ...(tls.server_name_override ? { servername: tls.server_name_override } : {}),
    });
  }

  /** New TLS files: new connections use them; the old agent's keep-alive sockets are closed. */
  async #reloadTls(): Promise<void> {
    try {
      const next = await this.#newHttpsAgent();
      this.#httpsAgent?.destroy();
      this.#httpsAgent = next;
    } catch {
      // Half-written or missing for now: keep the agent that works; the next request tries again.
    }
  }

  async send(payload: Payload, signal: AbortSignal): Promise<SendResult> {
    const url = this.#urls[payload.signal];
    const c = this.#config;
    const body = await this.#compressor.compress(payload.bytes);
    const headers: Record<string, string> = {
      ...c.headers,
      'content-type': CONTENT_TYPE[c.encoding],
      'content-length': String(body.byteLength),
    };
    if (this.#compressor.contentEncoding) headers['content-encoding'] = this.#compressor.contentEncoding;
    if (c.tenant_header && payload.tenant !== undefined) headers[c.tenant_header] = payload.tenant;
    const https_ = url.protocol === 'https:';
    if (https_ && this.#tlsFiles.changed()) await this.#reloadTls();
    const request = https_ ? https.request : http.request;
    const agent = https_ ? this.#httpsAgent : this.#httpAgent;
    return new Promise((resolve) => {
      const req = request(url, { method: 'POST', headers, agent, signal }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_RESPONSE_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () =>
          resolve(
            resultFromHttpResponse(
              { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) },
              c.encoding,
            ),
          ),
        );
        res.on('error', (err) => resolve(retryable(`response: ${describe(err)}`)));
      });
      // Connection refused/reset, TLS failures, aborts: the network may recover, so retry.
      req.on('error', (err) => resolve(retryable(`${url.origin}: ${describe(err)}`)));
      req.end(body);
    });
  }

  async shutdown(): Promise<void> {
    this.#httpAgent?.destroy();
    this.#httpsAgent?.destroy();
  }
}

/** The error code and message, never request headers. */
function describe(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code ? `${code} ${err.message}` : err.message;
}
