// Heavy hitters: a count-min sketch (Cormode & Muthukrishnan 2005) estimates any key's count in
// fixed memory (overestimates by at most e/width of the total, with probability 1 - e^-depth), and a
// bounded candidate list keeps the keys with the highest estimates, so the top sources can be named.
import { hash32 } from './hash.ts';

export class CountMin {
  readonly #width: number;
  readonly #depth: number;
  readonly #cells: Uint32Array;

  constructor(width = 512, depth = 4) {
    this.#width = width;
    this.#depth = depth;
    this.#cells = new Uint32Array(width * depth);
  }

  add(key: string, n = 1): number {
    let min = Number.POSITIVE_INFINITY;
    for (let d = 0; d < this.#depth; d++) {
      const i = d * this.#width + (hash32(key, d * 0x9e3779b9) % this.#width);
      const v = (this.#cells[i] ?? 0) + n;
      this.#cells[i] = v;
      if (v < min) min = v;
    }
    return min;
  }

  estimate(key: string): number {
    let min = Number.POSITIVE_INFINITY;
    for (let d = 0; d < this.#depth; d++) {
      const v = this.#cells[d * this.#width + (hash32(key, d * 0x9e3779b9) % this.#width)] ?? 0;
      if (v < min) min = v;
    }
    return min;
  }
}

export interface Hitter {
  key: string;
  count: number;
}

/** Top-k keys by estimated count over a stream of (key, n). Memory: the sketch plus 4k candidates. */
export class HeavyHitters {
  readonly #sketch: CountMin;
  readonly #candidates = new Map<string, number>();
  readonly #capacity: number;

  constructor(k = 5, width = 512, depth = 4) {
    this.#sketch = new CountMin(width, depth);
    this.#capacity = 4 * k;
  }

  add(key: string, n = 1): void {
    const estimate = this.#sketch.add(key, n);
    if (this.#candidates.has(key) || this.#candidates.size < this.#capacity) {
      this.#candidates.set(key, estimate);
      return;
    }
    let minKey: string | undefined;
    let min = Number.POSITIVE_INFINITY;
    for (const [k, v] of this.#candidates) {
      if (v < min) {
        min = v;
        minKey = k;
      }
    }
    if (minKey !== undefined && estimate > min) {
      this.#candidates.delete(minKey);
      this.#candidates.set(key, estimate);
    }
  }

  top(k: number): Hitter[] {
    return [...this.#candidates]
      .map(([key, count]) => ({ key, count }))
      .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1))
      .slice(0, k);
  }
}
