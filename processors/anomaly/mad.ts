// Robust location and scale: the median and the median absolute deviation. 1.4826 × MAD estimates
// the standard deviation of normal data, but a few outliers (the anomalies themselves) barely move it.
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

export function mad(values: readonly number[], center = median(values)): number {
  return median(values.map((v) => Math.abs(v - center)));
}

export const MAD_TO_SIGMA = 1.4826;
