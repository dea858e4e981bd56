// Base-2 exponential histogram buckets (OTLP ExponentialHistogramDataPoint): bucket i at scale s
// holds (2^(i/2^s), 2^((i+1)/2^s)]. Starts at scale 20 and lowers the scale whenever the occupied
// range exceeds maxSize buckets, as the OTel SDKs do. Plain data, so it crosses threads by clone.
export interface ExpoBuckets {
  scale: number;
  zeroCount: number;
  offset: number;
  counts: number[];
}

const MAX_SCALE = 20;

export function emptyExpo(): ExpoBuckets {
  return { scale: MAX_SCALE, zeroCount: 0, offset: 0, counts: [] };
}

export function bucketIndex(value: number, scale: number): number {
  return Math.ceil(Math.log2(value) * 2 ** scale) - 1;
}

export function expoRecord(h: ExpoBuckets, value: number, maxSize: number): void {
  if (!(value > 0)) {
    h.zeroCount++;
    return;
  }
  let idx = bucketIndex(value, h.scale);
  if (h.counts.length === 0) {
    h.offset = idx;
    h.counts.push(1);
    return;
  }
  const lo = Math.min(h.offset, idx);
  const hi = Math.max(h.offset + h.counts.length - 1, idx);
  const change = downscaleNeeded(lo, hi, maxSize);
  if (change > 0) {
    downscale(h, change);
    idx = bucketIndex(value, h.scale);
  }
  addAt(h, idx, 1);
}

/** Adds `b` into `a`; both end at the lower scale, lowered further until the union fits. */
export function expoMerge(a: ExpoBuckets, b: ExpoBuckets, maxSize: number): void {
  a.zeroCount += b.zeroCount;
  if (b.counts.length === 0) return;
  if (a.counts.length === 0) {
    a.scale = b.scale;
    a.offset = b.offset;
    a.counts = b.counts.slice();
    return;
  }
  let scale = Math.min(a.scale, b.scale);
  const range = (h: ExpoBuckets, s: number): [number, number] => {
    const d = h.scale - s;
    return [h.offset >> d, (h.offset + h.counts.length - 1) >> d];
  };
  const [alo, ahi] = range(a, scale);
  const [blo, bhi] = range(b, scale);
  scale -= downscaleNeeded(Math.min(alo, blo), Math.max(ahi, bhi), maxSize);
  if (a.scale > scale) downscale(a, a.scale - scale);
  const d = b.scale - scale;
  for (let i = 0; i < b.counts.length; i++) if (b.counts[i]) addAt(a, (b.offset + i) >> d, b.counts[i]!);
}

function downscaleNeeded(lo: number, hi: number, maxSize: number): number {
  let change = 0;
  while ((hi >> change) - (lo >> change) + 1 > maxSize) change++;
  return change;
}

function downscale(h: ExpoBuckets, change: number): void {
  const counts: number[] = [];
  const offset = h.offset >> change;
  for (let i = 0; i < h.counts.length; i++) {
    const j = ((h.offset + i) >> change) - offset;
    counts[j] = (counts[j] ?? 0) + h.counts[i]!;
  }
  h.offset = offset;
  h.counts = Array.from(counts, (c) => c ?? 0);
  h.scale -= change;
}

function addAt(h: ExpoBuckets, idx: number, n: number): void {
  if (idx < h.offset) {
    h.counts = [...new Array<number>(h.offset - idx).fill(0), ...h.counts];
    h.offset = idx;
  }
  const j = idx - h.offset;
  while (h.counts.length <= j) h.counts.push(0);
  h.counts[j]! += n;
}
