// Runs in the worker threads: nothing to do, a batch is already formed at the read (README.md).
import type { ProcessLogs } from '../../agent/kit/worker/processor.ts';

export function createProcessor(): ProcessLogs {
  return () => {};
}
