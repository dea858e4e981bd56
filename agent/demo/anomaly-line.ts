// One exported anomaly record (event.name meshtail.anomaly.<kind>, written by the anomaly processor
// into the same export as the requests) as the demo prints it, read only from its attributes.
import type { ExportedAttributes } from './export-tail.ts';

export interface DemoAnomaly {
  kind: string;
  state: 'firing' | 'resolved';
  scope: string;
  key: string;
  observed: number;
  baseline: number;
  score: number;
}

const PREFIX = 'meshtail.anomaly.';

export function isAnomalyRecord(a: ExportedAttributes): boolean {
  const name = a['event.name'];
  return typeof name === 'string' && name.startsWith(PREFIX);
}

/** Undefined for records that are not anomalies. */
export function anomalyOf(a: ExportedAttributes): DemoAnomaly | undefined {
  if (!isAnomalyRecord(a)) return undefined;
  const num = (k: string) => (typeof a[PREFIX + k] === 'number' ? (a[PREFIX + k] as number) : 0);
  return {
    kind: String(a[`${PREFIX}kind`] ?? String(a['event.name']).slice(PREFIX.length)),
    state: a[`${PREFIX}state`] === 'resolved' ? 'resolved' : 'firing',
    scope: String(a[`${PREFIX}scope`] ?? '?'),
    key: String(a[`${PREFIX}key`] ?? '?'),
    observed: num('observed'),
    baseline: num('baseline'),
    score: num('score'),
  };
}

/** `FIRING access_denied  source productpage-v1  observed 412, baseline 0, score 412` */
export function formatAnomaly(x: DemoAnomaly): string {
  const round = (n: number) => String(Math.round(n * 10) / 10);
  const what = `${x.state.toUpperCase()} ${x.kind}  ${x.scope} ${x.key}`;
  return x.state === 'resolved'
    ? what
    : `${what}  observed ${round(x.observed)}, baseline ${round(x.baseline)}, score ${round(x.score)}`;
}
