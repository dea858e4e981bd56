// /metrics (Prometheus text), /healthz (liveness) and /readyz (readiness) on
// service.telemetry.metrics.address; health.ts decides both. The body lists the reasons of a 503.
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { nodeHttp } from '../kit/node-http.ts';
import type { HealthReport } from './health.ts';
import type { SelfMetrics } from './self-metrics.ts';

export interface AdminTarget {
  metrics: SelfMetrics;
  readiness(): Promise<HealthReport>;
  liveness(): HealthReport;
  /** Refreshes sampled gauges (pool utilisation) before a scrape. */
  sample?(): void;
}

export class AdminServer {
  readonly #server: Server;

  constructor(target: AdminTarget) {
    this.#server = nodeHttp.createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/metrics') {
        target.sample?.();
        target.metrics.text().then(
          (text) => res.writeHead(200, { 'content-type': target.metrics.contentType }).end(text),
          (err) => res.writeHead(500).end(String(err)),
        );
      } else if (path === '/healthz') {
        answer(res, target.liveness(), 'ok');
      } else if (path === '/readyz') {
        target.readiness().then(
          (report) => answer(res, report, 'ready'),
          (err) => res.writeHead(500).end(String(err)),
        );
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

function answer(res: ServerResponse, report: HealthReport, okText: string): void {
  res
    .writeHead(report.ok ? 200 : 503, { 'content-type': 'text/plain' })
    .end(report.ok ? `${okText}\n` : `${report.reasons.join('\n')}\n`);
}
