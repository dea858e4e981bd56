// Exponentially weighted moving average: the smooth level a series returns to. alpha is the weight
// of the newest value (0.1 ≈ the last 10 buckets).
export interface Ewma {
  value: number;
  n: number;
}

export function ewmaUpdate(e: Ewma, x: number, alpha: number): void {
  e.value = e.n === 0 ? x : alpha * x + (1 - alpha) * e.value;
  e.n++;
}
