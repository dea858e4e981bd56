// One payload's whole life in the sender: attempts with a per-attempt timeout, waits between them,
// and the final verdict the exporter helper counts. Kept apart from queues and metrics so the
// policy can be tested with a fake attempt function.
import { setTimeout as sleep } from 'node:timers/promises';
import { Backoff } from './backoff.ts';
import type { RetryConfig } from './retry-config.ts';
import type { SendResult } from './send-result.ts';

export type RetryOutcome =
  | { kind: 'success'; rejected: number; message?: string }
  | { kind: 'failed'; reason: 'permanent' | 'retries_exhausted'; error: string }
  /** The stop signal fired (shutdown deadline) before the payload was delivered or given up. */
  | { kind: 'stopped' };

export interface RetryHooks {
  /** Aborts waits and in-flight attempts; the outcome is then `stopped`. */
  stop: AbortSignal;
  /** Per-attempt timeout in milliseconds (0 = none), delivered to the attempt as an abort. */
  timeoutMs: number;
  /** Called after each attempt with its duration in seconds. */
  onAttempt?(seconds: number, result: SendResult): void;
  /** Called before each retried attempt (not the first one). */
  onRetry?(): void;
}

export async function sendWithRetry(
  attempt: (signal: AbortSignal) => Promise<SendResult>,
  config: RetryConfig,
  hooks: RetryHooks,
): Promise<RetryOutcome> {
  const backoff = new Backoff(config);
  for (let n = 0; ; n++) {
    if (hooks.stop.aborted) return { kind: 'stopped' };
    if (n > 0) hooks.onRetry?.();
    const result = await attemptOnce(attempt, hooks);
    if (hooks.stop.aborted && result.kind !== 'success') return { kind: 'stopped' };
    if (result.kind === 'success') {
      const outcome: RetryOutcome = { kind: 'success', rejected: result.rejected ?? 0 };
      if (result.message) outcome.message = result.message;
      return outcome;
    }
    if (result.kind === 'permanent') return { kind: 'failed', reason: 'permanent', error: result.error };
    const wait = config.enabled ? backoff.next(result.retryAfterMs) : undefined;
    if (wait === undefined) return { kind: 'failed', reason: 'retries_exhausted', error: result.error };
    try {
      await sleep(wait, undefined, { signal: hooks.stop });
    } catch {
      return { kind: 'stopped' };
    }
  }
}

async function attemptOnce(
  attempt: (signal: AbortSignal) => Promise<SendResult>,
  hooks: RetryHooks,
): Promise<SendResult> {
  const signal =
    hooks.timeoutMs > 0 ? AbortSignal.any([hooks.stop, AbortSignal.timeout(hooks.timeoutMs)]) : hooks.stop;
  const started = performance.now();
  let result: SendResult;
  try {
    result = await attempt(signal);
  } catch (err) {
    // A transport reports expected failures as results; a throw is a defect, so do not loop on it.
    result = { kind: 'permanent', error: `transport threw: ${(err as Error).message}` };
  }
  hooks.onAttempt?.((performance.now() - started) / 1000, result);
  return result;
}
