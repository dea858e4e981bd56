// Fire after N consecutive anomalous buckets, resolve after M consecutive normal ones, so a value
// hovering at the threshold does not flap.
export interface Alarm {
  state: 'pending' | 'firing';
  /** Consecutive anomalous (pending) or normal (firing) buckets. */
  streak: number;
  /** Event time (ms) of the first anomalous bucket. */
  since: number;
}

export type Transition = 'fired' | 'resolved' | undefined;

export function step(
  alarms: Map<string, Alarm>,
  id: string,
  active: boolean,
  at: number,
  fireAfter: number,
  resolveAfter: number,
): Transition {
  const a = alarms.get(id);
  if (!a) {
    if (!active) return undefined;
    if (fireAfter <= 1) {
      alarms.set(id, { state: 'firing', streak: 0, since: at });
      return 'fired';
    }
    alarms.set(id, { state: 'pending', streak: 1, since: at });
    return undefined;
  }
  if (a.state === 'pending') {
    if (!active) {
      alarms.delete(id);
      return undefined;
    }
    a.streak++;
    if (a.streak >= fireAfter) {
      a.state = 'firing';
      a.streak = 0;
      return 'fired';
    }
    return undefined;
  }
  if (active) {
    a.streak = 0;
    return undefined;
  }
  a.streak++;
  if (a.streak >= resolveAfter) {
    alarms.delete(id);
    return 'resolved';
  }
  return undefined;
}
