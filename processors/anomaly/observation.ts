// What a detector says about one key in one closed bucket, before hysteresis.
import type { AnomalyKind } from './config.ts';

/** What the key names: a destination service, a source identity, or a "source→destination" edge. */
export type Scope = 'destination' | 'source' | 'edge' | 'workload';

/** What a proxy_error carries: the signature's template, pods that logged it, one masked line. */
export interface Evidence {
  template: string;
  pods: string[];
  sample: string;
}

export interface Observation {
  kind: AnomalyKind;
  scope: Scope;
  key: string;
  active: boolean;
  observed: number;
  baseline: number;
  score: number;
  /** Fires in its first anomalous bucket (new edges, new signatures), not after fire_after. */
  immediate?: boolean;
  evidence?: Evidence;
}

const SEP = '\u0001';

export function alarmId(o: Pick<Observation, 'kind' | 'scope' | 'key'>): string {
  return o.kind + SEP + o.scope + SEP + o.key;
}

export function parseAlarmId(id: string): Pick<Observation, 'kind' | 'scope' | 'key'> {
  const [kind, scope, ...rest] = id.split(SEP);
  return { kind: kind as AnomalyKind, scope: scope as Scope, key: rest.join(SEP) };
}
