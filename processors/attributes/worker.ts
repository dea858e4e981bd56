// Runs in the worker threads: static attribute actions, the Collector attributes processor's core.
import type { ProcessLogs } from '../../agent/kit/worker/processor.ts';
import type { AttributesConfig } from './config.ts';

export function createProcessor(config: AttributesConfig): ProcessLogs {
  const { actions } = config;
  return (batch) => {
    for (const r of batch.records) {
      const a = r.attributes;
      for (const act of actions) {
        const present = act.key in a;
        if (act.action === 'delete') delete a[act.key];
        else if (act.value === undefined) continue;
        else if (act.action === 'upsert' || (act.action === 'insert' ? !present : present))
          a[act.key] = act.value;
      }
    }
  };
}
