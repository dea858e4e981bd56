// Runs in the worker threads: nothing to do; the limiter works at admission, on the main thread.
import type { ProcessLogs } from '../../agent/kit/worker/processor.ts';

export function createProcessor(): ProcessLogs {
  return () => {};
}
