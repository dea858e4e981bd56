// Samples how many records the Collector holds over time, to tell how many were delivered since a
// given moment (e.g. since the agent's last checkpoint write before a kill).
export class DeliveryRate {
  readonly #samples: [number, number][] = [];

  sample(records: number, at = Date.now()): void {
    this.#samples.push([at, records]);
  }

  /** The count at the last sample taken at or before `at` (0 before the first). */
  countAt(at: number): number {
    let n = 0;
    for (const [t, c] of this.#samples) {
      if (t > at) break;
      n = c;
    }
    return n;
  }
}
