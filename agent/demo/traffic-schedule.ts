// When the simulated mesh misbehaves: a fixed, repeating script, so a demo of any length past ten
// seconds shows a traffic burst and an RBAC denial storm at known times for detectors to flag.
import type { TrafficMode } from './istio-traffic.ts';

export type Phase = 'steady' | 'burst' | 'deny_storm';

export interface TrafficSchedule {
  /** Lines per second, all pods together, outside a burst. */
  baseRate: number;
  /** Rate multiplier during a burst. */
  burstFactor: number;
  /** [start, end) in ms from the simulator's start, within each cycle. */
  burst: [number, number];
  denyStorm: [number, number];
  cycleMs: number;
}

export const DEFAULT_SCHEDULE: TrafficSchedule = {
  baseRate: 300,
  burstFactor: 4,
  burst: [4_000, 7_000],
  denyStorm: [8_000, 11_000],
  cycleMs: 30_000,
};

export function phaseAt(s: TrafficSchedule, elapsedMs: number): Phase {
  const t = elapsedMs % s.cycleMs;
  if (t >= s.burst[0] && t < s.burst[1]) return 'burst';
  if (t >= s.denyStorm[0] && t < s.denyStorm[1]) return 'deny_storm';
  return 'steady';
}

export function rateIn(s: TrafficSchedule, phase: Phase): number {
  return phase === 'burst' ? s.baseRate * s.burstFactor : s.baseRate;
}

export function modeIn(phase: Phase): TrafficMode {
  return phase === 'deny_storm' ? 'deny_storm' : 'normal';
}
