// A processor for fail-closed tests. On records whose body contains "die" it does what its config
// says: `exit` kills its worker thread, `throw` throws, `loop` never returns, `none` nothing (the
// cause fixed). Every record it lets through gets `test.seen`, the proof it ran.
import type { ProcessLogs } from '../../agent/kit/worker/processor.ts';

export function createProcessor(config: { fault: 'exit' | 'throw' | 'loop' | 'none' }): ProcessLogs {
  return (batch) => {
    for (const r of batch.records) {
      if (typeof r.body === 'string' && r.body.includes('die')) {
        if (config.fault === 'exit') process.exit(3);
        if (config.fault === 'throw') throw new Error(`fault on ${r.body}`);
        if (config.fault === 'loop') for (;;) {}
      }
      r.attributes['test.seen'] = true;
    }
  };
}
