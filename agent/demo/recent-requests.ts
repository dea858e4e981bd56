// The main thread's side of the request view: a worker thread tails the exporter's output and
// posts a sample after each poll (export-tail-worker.ts); this keeps the latest and, for --plain,
// the most telling request seen since the view last asked.
import { Worker } from 'node:worker_threads';
import type { DemoAnomaly } from './anomaly-line.ts';
import type { TailWorkerData } from './export-tail-worker.ts';
import type { RequestsSample } from './request-aggregate.ts';
import type { DemoRequest } from './request-line.ts';

export type { CallPath, RequestsSample } from './request-aggregate.ts';

const EMPTY: RequestsSample = { recent: [], topPaths: [], highlight: undefined, anomalies: [] };

export class RecentRequests {
  readonly #worker: Worker;
  #latest: RequestsSample = EMPTY;
  #highlight: DemoRequest | undefined;
  /** Anomalies the worker reported since the view last asked (each is shown once). */
  #anomalies: DemoAnomaly[] = [];

  constructor(exportFile: string, intervalMs = 250) {
    const workerData: TailWorkerData = { exportFile, intervalMs };
    this.#worker = new Worker(new URL('./export-tail-worker.ts', import.meta.url), { workerData });
    // The view must never keep the process alive, nor take the demo down with it.
    this.#worker.unref();
    this.#worker.on('error', () => {});
    this.#worker.on('message', (s: RequestsSample) => {
      this.#latest = s;
      this.#highlight = telling(this.#highlight, s.highlight);
      this.#anomalies.push(...s.anomalies);
    });
  }

  /**
   * The latest sample; its highlight is the most telling request since the previous call, and its
   * anomalies all those exported since the previous call.
   */
  sample(): RequestsSample {
    const highlight = this.#highlight;
    const anomalies = this.#anomalies;
    this.#highlight = undefined;
    this.#anomalies = [];
    return { ...this.#latest, highlight, anomalies };
  }

  close(): Promise<number> {
    return this.#worker.terminate();
  }
}

/** A denial beats a masked secret, which beats a user, which beats any; among equals the later wins. */
function telling(a: DemoRequest | undefined, b: DemoRequest | undefined): DemoRequest | undefined {
  const rank = (r: DemoRequest | undefined) =>
    r === undefined ? -1 : r.denied ? 3 : r.masked ? 2 : r.user ? 1 : 0;
  return rank(b) >= rank(a) ? b : a;
}
