// A processor for shared-state tests: stamps each record with the `label` its main-thread part published.
import type { ProcessLogs, ProcessorContext } from '../../agent/kit/worker/processor.ts';

export function createProcessor(_config: unknown, context: ProcessorContext): ProcessLogs {
  return (batch) => {
    const state = context.state?.current() as { label?: string } | undefined;
    for (const r of batch.records) r.attributes['test.label'] = state?.label ?? 'none';
  };
}
