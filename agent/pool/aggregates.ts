// Per-batch aggregates a processor's worker part emits (ProcessorContext.emit), for its main-thread
// part to merge and judge (stateful detectors are split this way: DESIGN.md). Collected per task,
// reset per attempt like events, and returned with the task's result by structured clone.
let current: { processor: string; data: unknown }[] = [];

export function emitAggregate(processor: string, data: unknown): void {
  current.push({ processor, data });
}

export function resetAggregates(): void {
  current = [];
}

export function takeAggregates(): { processor: string; data: unknown }[] {
  const out = current;
  current = [];
  return out;
}
