// A real node:http(s) server on 127.0.0.1 that records every request (body gunzipped when the
// client said gzip) and answers with the test's `answer` function.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface ReceivedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The body as sent, and decompressed. */
  raw: Buffer;
  body: Buffer;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

export interface HttpTestServer {
  url: string;
  requests: ReceivedRequest[];
  answer: (req: ReceivedRequest, n: number) => Reply;
  close(): Promise<void>;
}

export async function startHttpServer(tls?: https.ServerOptions): Promise<HttpTestServer> {
  const state: HttpTestServer = {
    url: '',
    requests: [],
    answer: () => ({ status: 200 }),
    close: async () => {},
  };
  const handler: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      const received = { path: req.url ?? '', headers: req.headers, raw, body };
      state.requests.push(received);
      const reply = state.answer(received, state.requests.length);
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.body ?? '');
    });
  };
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  state.url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  state.close = () =>
    new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return state;
}
