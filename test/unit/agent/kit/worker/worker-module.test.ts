// A processor factory's workerModule carries the config type its worker's createProcessor takes:
// typecheck (npm run typecheck) fails when a worker expects another config than the schema gives.
import { describe, expect, it } from 'vitest';
import type {
  ProcessLogs,
  ProcessorContext,
  WorkerModule,
} from '../../../../../agent/kit/worker/processor.ts';
import { workerModule } from '../../../../../agent/kit/worker/processor.ts';

type Takes<C> = (config: C, context: ProcessorContext) => ProcessLogs;

describe('workerModule', () => {
  it('is the module URL as a string', () => {
    const url = new URL('./some-worker.ts', import.meta.url);
    const module: string = workerModule<Takes<{ a: number }>>(url);
    expect(module).toBe(url.href);
  });

  it('accepts a worker that takes the schema output, or less of it', () => {
    const url = new URL('./some-worker.ts', import.meta.url);
    const exact: WorkerModule<{ a: number; b: string }> = workerModule<Takes<{ a: number; b: string }>>(url);
    const fewer: WorkerModule<{ a: number; b: string }> = workerModule<Takes<{ a: number }>>(url);
    expect([exact, fewer]).toEqual([url.href, url.href]);
  });

  it('rejects, at compile time, a worker that expects what the schema does not give', () => {
    const url = new URL('./some-worker.ts', import.meta.url);
    // @ts-expect-error the worker wants `c`, which the schema's output lacks
    const wrong: WorkerModule<{ a: number }> = workerModule<Takes<{ a: number; c: string }>>(url);
    // @ts-expect-error the worker wants `a` as a string
    const retyped: WorkerModule<{ a: number }> = workerModule<Takes<{ a: string }>>(url);
    expect([wrong, retyped]).toEqual([url.href, url.href]);
  });
});
