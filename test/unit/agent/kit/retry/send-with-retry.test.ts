import { describe, expect, it } from 'vitest';
import { retryOnFailureSchema } from '../../../../../agent/kit/retry/retry-config.ts';
import { permanent, retryable, type SendResult } from '../../../../../agent/kit/retry/send-result.ts';
import { sendWithRetry } from '../../../../../agent/kit/retry/send-with-retry.ts';

const fast = retryOnFailureSchema.parse({
  initial_interval: '1ms',
  max_interval: '5ms',
  max_elapsed_time: '5s',
});

function scripted(results: SendResult[]) {
  let calls = 0;
  const attempt = async () => results[Math.min(calls++, results.length - 1)]!;
  return { attempt, calls: () => calls };
}

describe('sendWithRetry', () => {
  it('retries retryable results until success, reporting each retry', async () => {
    const s = scripted([
      retryable('down'),
      retryable('down'),
      { kind: 'success', rejected: 2, message: 'old' },
    ]);
    let retries = 0;
    const outcome = await sendWithRetry(s.attempt, fast, {
      stop: new AbortController().signal,
      timeoutMs: 0,
      onRetry: () => retries++,
    });
    expect(outcome).toEqual({ kind: 'success', rejected: 2, message: 'old' });
    expect(s.calls()).toBe(3);
    expect(retries).toBe(2);
  });

  it('stops at a permanent result', async () => {
    const s = scripted([retryable('down'), permanent('400')]);
    const outcome = await sendWithRetry(s.attempt, fast, {
      stop: new AbortController().signal,
      timeoutMs: 0,
    });
    expect(outcome).toEqual({ kind: 'failed', reason: 'permanent', error: '400' });
    expect(s.calls()).toBe(2);
  });

  it('tries once when retries are disabled', async () => {
    const s = scripted([retryable('down')]);
    const outcome = await sendWithRetry(
      s.attempt,
      { ...fast, enabled: false },
      { stop: new AbortController().signal, timeoutMs: 0 },
    );
    expect(outcome).toMatchObject({ kind: 'failed', reason: 'retries_exhausted' });
    expect(s.calls()).toBe(1);
  });

  it('ends a wait when stopped', async () => {
    const stop = new AbortController();
    const slow = retryOnFailureSchema.parse({
      initial_interval: '1h',
      max_interval: '1h',
      max_elapsed_time: 0,
    });
    const s = scripted([retryable('down')]);
    const pending = sendWithRetry(s.attempt, slow, { stop: stop.signal, timeoutMs: 0 });
    setTimeout(() => stop.abort(), 5);
    expect(await pending).toEqual({ kind: 'stopped' });
  });

  it('aborts an attempt at its timeout and retries it', async () => {
    let calls = 0;
    const attempt = (signal: AbortSignal) =>
      new Promise<SendResult>((resolve) => {
        if (++calls > 1) return resolve({ kind: 'success' });
        signal.addEventListener('abort', () => resolve(retryable('aborted')));
      });
    const outcome = await sendWithRetry(attempt, fast, { stop: new AbortController().signal, timeoutMs: 20 });
    expect(outcome).toEqual({ kind: 'success', rejected: 0 });
    expect(calls).toBe(2);
  });

  it('treats a thrown error as permanent instead of looping on a defect', async () => {
    const outcome = await sendWithRetry(
      async () => {
        throw new Error('bug');
      },
      fast,
      { stop: new AbortController().signal, timeoutMs: 0 },
    );
    expect(outcome).toMatchObject({ kind: 'failed', reason: 'permanent' });
  });
});
