// Counts log records in the Collector's file output without parsing it: every record has exactly
// one `"body":` key, and that byte sequence cannot occur inside a JSON string (its quotes would be
// escaped). Scanning bytes costs far less CPU than JSON.parse, which matters because the harness
// shares the machine with the agent it measures. Also finds latency-probe markers.
import { closeSync, existsSync, openSync, readSync } from 'node:fs';

const KEY = Buffer.from('"body":');
const CHUNK = 4 << 20;
const TAIL = 256;

export class OutputCounter {
  records = 0;
  readonly #offsets = new Map<string, number>();
  readonly #buffer = Buffer.allocUnsafe(CHUNK);
  readonly #markers = new Set<string>();
  readonly found = new Map<string, number>();

  /** Records the time `marker` is first seen in the output. */
  watch(marker: string): void {
    this.#markers.add(marker);
  }

  poll(paths: readonly string[]): number {
    for (const path of paths) {
      if (!existsSync(path)) continue;
      const fd = openSync(path, 'r');
      try {
        let offset = this.#offsets.get(path) ?? 0;
        for (;;) {
          const n = readSync(fd, this.#buffer, 0, CHUNK, offset);
          if (n === 0) break;
          // Scan whole lines only; a line longer than the buffer is scanned in parts that overlap
          // by TAIL bytes, counting only matches that start before the overlap.
          const lineEnd = this.#buffer.lastIndexOf(10, n - 1) + 1;
          const limit = lineEnd > 0 ? lineEnd : n === CHUNK ? n - TAIL : 0;
          if (limit === 0) break;
          this.#scan(this.#buffer.subarray(0, lineEnd > 0 ? lineEnd : n), limit);
          offset += limit;
        }
        this.#offsets.set(path, offset);
      } finally {
        closeSync(fd);
      }
    }
    return this.records;
  }

  /** Counts keys that start before `limit`; the rest is read again next time. */
  #scan(data: Buffer, limit: number) {
    for (let i = data.indexOf(KEY); i !== -1 && i < limit; i = data.indexOf(KEY, i + KEY.length))
      this.records++;
    if (this.#markers.size === 0) return;
    const now = performance.now();
    for (const m of this.#markers) {
      const at = data.indexOf(m);
      if (at !== -1 && at < limit) {
        this.found.set(m, now);
        this.#markers.delete(m);
      }
    }
  }
}
