// A processor for tenant tests: the tenant is the body's first word; counts one event per record.
import type { ProcessLogs, ProcessorContext } from '../../agent/kit/worker/processor.ts';

export function createProcessor(_config: unknown, context: ProcessorContext): ProcessLogs {
  return (batch) => {
    for (const r of batch.records) {
      const word = String(r.body).split(' ')[0]!;
      if (word !== 'none') r.attributes['meshtail.tenant'] = word;
      context.count('tagged');
    }
  };
}
