// A hysteresis alarm plus the evidence of its last anomalous bucket (reported when it resolves).
import type { Alarm } from './hysteresis.ts';

export interface AnyAlarm extends Alarm {
  last?: { observed: number; baseline: number; score: number };
  /** Kept so the resolving alert carries the same labels as the firing one. */
  namespace?: string | undefined;
}
