import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { SharedStateReader, SharedStateWriter } from '../../../../../agent/kit/worker/shared-state.ts';

describe('shared state', () => {
  it('gives readers the latest value, undefined before the first publish, and grows past its first size', () => {
    const w = new SharedStateWriter(16);
    const r = new SharedStateReader<{ v: number; pad?: string }>(w.buffer);
    expect(r.current()).toBeUndefined();
    w.publish({ v: 1 });
    expect(r.current()).toEqual({ v: 1 });
    const first = r.current();
    expect(r.current()).toBe(first); // unchanged sequence: no decode, same object
    w.publish({ v: 2, pad: 'x'.repeat(100_000) });
    expect(r.current()?.v).toBe(2);
    expect(w.buffer.byteLength).toBeGreaterThan(100_000);
  });

  it('reaches another thread, including updates after it started', async () => {
    const w = new SharedStateWriter();
    w.publish({ pods: ['a'] });
    const src = `
      const { parentPort, workerData } = require('node:worker_threads');
      const h = new Int32Array(workerData, 0, 2);
      parentPort.on('message', () => {
        const len = Atomics.load(h, 1);
        parentPort.postMessage(Buffer.from(new Uint8Array(workerData, 8, len)).toString());
      });`;
    const worker = new Worker(src, { eval: true, workerData: w.buffer });
    const ask = () =>
      new Promise<string>((resolve) => {
        worker.once('message', resolve);
        worker.postMessage('read');
      });
    expect(JSON.parse(await ask())).toEqual({ pods: ['a'] });
    w.publish({ pods: ['a', 'b'] });
    expect(JSON.parse(await ask())).toEqual({ pods: ['a', 'b'] });
    await worker.terminate();
  });
});
