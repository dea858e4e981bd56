// A ProcessorContext for calling a processor's worker part directly in tests, and a ProcessorOutput
// that keeps what a main-thread part emits.
import type { ProcessorOutput } from '../../agent/kit/component.ts';
import type { ResourceLogs, ResourceMetrics } from '../../agent/kit/record/record.ts';
import type { ProcessorContext } from '../../agent/kit/worker/processor.ts';

export interface TestContext extends ProcessorContext {
  counts: Map<string, number>;
  emitted: unknown[];
}

export function testContext(id: string, extra: Partial<ProcessorContext> = {}): TestContext {
  const counts = new Map<string, number>();
  const emitted: unknown[] = [];
  return {
    id,
    counts,
    emitted,
    count: (event, n = 1) => counts.set(event, (counts.get(event) ?? 0) + n),
    emit: (aggregate) => emitted.push(aggregate),
    ...extra,
  };
}

export function testOutput(): ProcessorOutput & { logs: ResourceLogs[]; metrics: ResourceMetrics[] } {
  const logs: ResourceLogs[] = [];
  const metrics: ResourceMetrics[] = [];
  return {
    logs,
    metrics,
    emitLogs: async (b) => {
      logs.push(b);
    },
    emitMetrics: async (b) => {
      metrics.push(b);
    },
  };
}
