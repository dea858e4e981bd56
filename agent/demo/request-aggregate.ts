// What the live view shows about requests, aggregated from the records the exporter wrote: the last
// few requests, the busiest call paths, and one request worth a line in --plain output. Runs in the
// tail's worker thread (export-tail-worker.ts): parsing the export costs ~10 ms per MB.
import { anomalyOf, type DemoAnomaly } from './anomaly-line.ts';
import { ExportTail } from './export-tail.ts';
import { type DemoRequest, requestOf } from './request-line.ts';

export interface CallPath {
  source: string;
  destination: string;
  calls: number;
}

export interface RequestsSample {
  recent: DemoRequest[];
  topPaths: CallPath[];
  /**
   * Of the requests since the last sample: the latest denial, else the latest with a masked secret,
   * else the latest with a user, else the latest.
   */
  highlight: DemoRequest | undefined;
  /** Anomaly records (fired or resolved) exported since the last sample, in file order. */
  anomalies: DemoAnomaly[];
}

export class RequestAggregate {
  readonly #tail: ExportTail;
  readonly #keep: number;
  #recent: DemoRequest[] = [];
  readonly #paths = new Map<string, CallPath>();

  constructor(exportFile: string, keep = 8) {
    this.#tail = new ExportTail(exportFile);
    this.#keep = keep;
  }

  /** Reads what the exporter appended since the last sample. */
  sample(topN = 6): RequestsSample {
    let denied: DemoRequest | undefined;
    let withUser: DemoRequest | undefined;
    let masked: DemoRequest | undefined;
    let latest: DemoRequest | undefined;
    const anomalies: DemoAnomaly[] = [];
    for (const attributes of this.#tail.poll()) {
      const anomaly = anomalyOf(attributes);
      if (anomaly) {
        anomalies.push(anomaly);
        continue;
      }
      const r = requestOf(attributes);
      if (!r) continue;
      latest = r;
      if (r.denied) denied = r;
      if (r.user) withUser = r;
      if (r.masked) masked = r;
      this.#recent.push(r);
      if (this.#recent.length > 4 * this.#keep) this.#recent = this.#recent.slice(-this.#keep);
      // Each call is logged by both proxies; count it once, from the caller's side.
      if (r.direction === 'outbound') this.#count(r);
    }
    this.#recent = this.#recent.slice(-this.#keep);
    const topPaths = [...this.#paths.values()].sort((a, b) => b.calls - a.calls).slice(0, topN);
    return {
      recent: [...this.#recent],
      topPaths,
      highlight: denied ?? masked ?? withUser ?? latest,
      anomalies,
    };
  }

  close(): void {
    this.#tail.close();
  }

  #count(r: DemoRequest): void {
    const key = `${r.source}\n${r.destination}`;
    const path = this.#paths.get(key);
    if (path) path.calls++;
    else this.#paths.set(key, { source: r.source, destination: r.destination, calls: 1 });
  }
}
