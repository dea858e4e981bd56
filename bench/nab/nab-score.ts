// The NAB scorer (Lavin & Ahmad, "Evaluating Real-time Anomaly Detection Algorithms – the Numenta
// Anomaly Benchmark", 2015; numenta/NAB README), written from its definition: per labelled window,
// only the first detection counts, weighted by a scaled sigmoid of its position (early is worth
// more); a detection outside every window costs fpWeight, scaled by its distance past the previous
// window; a window without a detection costs fnWeight. Rows in the probationary period (the first
// 15 % of a file, at most 750 rows) are not scored. A corpus score is normalised so that no
// detection at all scores 0 and a perfect detector 100.
export interface CostMatrix {
  tpWeight: number;
  fpWeight: number;
  fnWeight: number;
}

export const STANDARD: CostMatrix = { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 };

export function scaledSigmoid(y: number): number {
  if (y > 3) return -1;
  return 2 / (1 + Math.exp(5 * y)) - 1;
}

export function probationPeriod(rows: number): number {
  return Math.min(Math.floor(0.15 * rows), 0.15 * 5000);
}

export interface FileScore {
  /** Sum of the scored detections (what NAB writes per row as S(t)). */
  detections: number;
  /** Windows without a detection. */
  missed: number;
  windows: number;
  raw: number;
}

/**
 * `detected[i]` is whether the detector flagged row i; `windows` are [first, last] row indices.
 */
export function scoreFile(
  detected: readonly boolean[],
  windows: [number, number][],
  cost: CostMatrix,
): FileScore {
  const probation = probationPeriod(detected.length);
  const maxTP = scaledSigmoid(-1);
  const hit = new Set<number>();
  let detections = 0;
  let prevRight: number | undefined;
  let prevWidth = 0;
  let w = 0;
  for (let i = 0; i < detected.length; i++) {
    while (w < windows.length && i > (windows[w] as [number, number])[1]) {
      const [l, r] = windows[w] as [number, number];
      prevRight = r;
      prevWidth = r - l + 1;
      w++;
    }
    if (!detected[i] || i < probation) continue;
    const win = windows[w];
    if (win && i >= win[0] && i <= win[1]) {
      if (hit.has(w)) continue;
      hit.add(w);
      const width = win[1] - win[0] + 1;
      detections += (scaledSigmoid(-(win[1] - i + 1) / width) * cost.tpWeight) / maxTP;
    } else {
      const unweighted =
        prevRight === undefined ? -1 : scaledSigmoid(Math.abs(prevRight - i) / (prevWidth - 1));
      detections += unweighted * cost.fpWeight;
    }
  }
  const missed = windows.length - hit.size;
  return { detections, missed, windows: windows.length, raw: detections - missed * cost.fnWeight };
}

/** 100 × (raw − null) / (perfect − null) over a corpus. */
export function normalized(files: readonly FileScore[], cost: CostMatrix): number {
  let raw = 0;
  let windows = 0;
  for (const f of files) {
    raw += f.raw;
    windows += f.windows;
  }
  const nullScore = -cost.fnWeight * windows;
  const perfect = cost.tpWeight * windows;
  return (100 * (raw - nullScore)) / (perfect - nullScore);
}
