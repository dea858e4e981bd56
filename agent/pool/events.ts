// Counters a processor reports from a worker thread (ProcessorContext.count): accumulated for the
// current task, returned with its result, and added to meshtail_processor_events_total on the main
// thread. A retried attempt starts from zero so nothing is counted twice.
let current = new Map<string, number>();

export function countEvent(processor: string, event: string, n: number): void {
  const key = `${processor}\u0000${event}`;
  current.set(key, (current.get(key) ?? 0) + n);
}

export function resetEvents(): void {
  current = new Map();
}

export function takeEvents(): { processor: string; event: string; count: number }[] {
  const out: { processor: string; event: string; count: number }[] = [];
  for (const [key, count] of current) {
    const i = key.indexOf('\u0000');
    out.push({ processor: key.slice(0, i), event: key.slice(i + 1), count });
  }
  current = new Map();
  return out;
}
