// Admission control: a processor's main-thread part that decides whether a pipeline takes another
// batch (memory_limiter). A pipeline awaits every such part before a batch takes a slot, so a
// refusal pauses the receivers the way a full pipeline does: nothing is dropped, reading waits.
import type { ProcessorMain } from './component.ts';

export interface AdmissionControl {
  /** Resolves when a batch may enter; pending while the limit holds. */
  admit(): Promise<void>;
  /** True while it refuses: /readyz and the docs call this a full queue. */
  readonly refusing: boolean;
}

export function isAdmissionControl(
  main: ProcessorMain | undefined,
): main is ProcessorMain & AdmissionControl {
  return typeof (main as Partial<AdmissionControl> | undefined)?.admit === 'function';
}

/** One admit() for several controls (the processors of a pipeline), or undefined when there are none. */
export function admitAll(controls: readonly AdmissionControl[]): (() => Promise<void>) | undefined {
  if (controls.length === 0) return undefined;
  if (controls.length === 1) return () => controls[0]!.admit();
  return async () => {
    for (const c of controls) await c.admit();
  };
}
