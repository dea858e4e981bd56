// A mergeable quantile sketch for durations: log-spaced buckets (DDSketch-style, Masson et al. 2019)
// keyed by index i = ceil(log_gamma(v)). With gamma = (1 + a)/(1 - a) and a = 0.02, any quantile is
// returned within 2% relative error of a value of the data. Merging adds counts per index; the
// bucket map is a Map<number, number>, structured-cloneable across threads.
const RELATIVE_ERROR = 0.02;
const GAMMA = (1 + RELATIVE_ERROR) / (1 - RELATIVE_ERROR);
const LOG_GAMMA = Math.log(GAMMA);
/** Values at or below this (ms) are counted as zero. */
const MIN_VALUE = 0.001;

export type LogHistogram = Map<number, number>;
const ZERO = Number.MIN_SAFE_INTEGER;

export function histogramAdd(h: LogHistogram, value: number, n = 1): void {
  const i = value <= MIN_VALUE ? ZERO : Math.ceil(Math.log(value) / LOG_GAMMA);
  h.set(i, (h.get(i) ?? 0) + n);
}

export function histogramMerge(into: LogHistogram, from: LogHistogram): void {
  for (const [i, n] of from) into.set(i, (into.get(i) ?? 0) + n);
}

export function histogramCount(h: LogHistogram): number {
  let n = 0;
  for (const c of h.values()) n += c;
  return n;
}

/** The q-quantile (0..1), or undefined for an empty sketch. */
export function histogramQuantile(h: LogHistogram, q: number): number | undefined {
  const total = histogramCount(h);
  if (total === 0) return undefined;
  const rank = q * (total - 1);
  const indexes = [...h.keys()].sort((a, b) => a - b);
  let seen = 0;
  for (const i of indexes) {
    seen += h.get(i) ?? 0;
    if (seen > rank) return i === ZERO ? 0 : (2 * GAMMA ** i) / (GAMMA + 1);
  }
  return undefined;
}
