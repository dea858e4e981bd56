// Rotates each of many files every few seconds (a seeded random interval per turn), each file on
// its own loop, until stopped; counts the rotations per kind.
import { SeededRandom } from '../../agent/demo/seeded-random.ts';

export interface Rotator {
  kind: string;
  rotate(): Promise<boolean>;
}

export class RotationLoop {
  readonly counts = new Map<string, number>();
  readonly errors: string[] = [];
  readonly #random: SeededRandom;
  readonly #loops: Promise<void>[] = [];
  #stopped = false;
  #wake = new Set<() => void>();

  constructor(seed: number) {
    this.#random = new SeededRandom(seed);
  }

  /** Starts rotating `r` every `minMs`..`maxMs`. */
  add(r: Rotator, minMs: number, maxMs: number): void {
    this.counts.set(r.kind, this.counts.get(r.kind) ?? 0);
    this.#loops.push(this.#loop(r, minMs, maxMs));
  }

  /** Stops every loop after its rotation in progress, if any. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const wake of this.#wake) wake();
    await Promise.all(this.#loops);
  }

  async #loop(r: Rotator, minMs: number, maxMs: number) {
    while (!this.#stopped) {
      await this.#sleep(this.#random.int(minMs, maxMs));
      if (this.#stopped) return;
      try {
        if (await r.rotate()) this.counts.set(r.kind, this.counts.get(r.kind)! + 1);
      } catch (e) {
        if (this.errors.length < 5) this.errors.push(`${r.kind}: ${(e as Error).message}`);
      }
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#wake.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#wake.add(wake);
    });
  }
}
