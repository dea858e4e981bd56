// A processor for failure tests: throws on records whose body contains "boom", kills its worker
// thread on records whose body contains "die" (unless the batch comes back with processors bypassed).
import type { ProcessLogs } from '../../agent/kit/worker/processor.ts';

export function createProcessor(): ProcessLogs {
  return (batch) => {
    for (const r of batch.records) {
      if (typeof r.body !== 'string') continue;
      if (r.body.includes('die')) process.exit(3);
      if (r.body.includes('boom')) throw new Error('boom in processor');
      r.attributes['test.seen'] = true;
    }
  };
}
