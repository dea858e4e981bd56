// A processor for the aggregate path: the worker part emits each batch's record count.
import type { ProcessLogs, ProcessorContext } from '../../agent/kit/worker/processor.ts';

export function createProcessor(_config: unknown, context: ProcessorContext): ProcessLogs {
  return (batch) => context.emit({ records: batch.records.length });
}
