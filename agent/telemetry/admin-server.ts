// /metrics (Prometheus text), /healthz (the process answers) and /readyz (the pipelines run) on
// service.telemetry.metrics.address.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SelfMetrics } from './self-metrics.ts';

export interface AdminTarget {
  metrics: SelfMetrics;
  ready(): boolean;
  /** Refreshes sampled gauges (pool utilisation) before a scrape. */
  sample?(): void;
}

export class AdminServer {
  readonly #server: Server;

  constructor(target: AdminTarget) {
    this.#server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/metrics') {
        target.sample?.();
        target.metrics.text().then(
          (text) => res.writeHead(200, { 'content-type': target.metrics.contentType }).end(text),
          (err) => res.writeHead(500).end(String(err)),
        );
      } else if (path === '/healthz') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      } else if (path === '/readyz') {
        const ready = target.ready();
        res
          .writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' })
          .end(ready ? 'ready\n' : 'not ready\n');
      } else {
        res.writeHead(404).end();
      }
    });
  }

  /** Listens on `host:port` (port 0 picks one); resolves to the bound address. */
  listen(address: string): Promise<string> {
    const i = address.lastIndexOf(':');
    const host = address.slice(0, i).replace(/^\[|\]$/g, '') || '0.0.0.0';
    const port = Number(address.slice(i + 1));
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        const a = this.#server.address() as AddressInfo;
        resolve(a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
