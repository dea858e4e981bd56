import { describe, expect, it } from 'vitest';
import { runConsumers } from '../../../../../agent/kit/queue/consumers.ts';
import { MemoryQueue } from '../../../../../agent/kit/queue/memory-queue.ts';
import { sendingQueueSchema } from '../../../../../agent/kit/queue/queue-config.ts';

const tick = () => new Promise((r) => setImmediate(r));

describe('sending_queue', () => {
  it("has the Collector's defaults", () => {
    expect(sendingQueueSchema.parse({})).toMatchObject({
      enabled: true,
      num_consumers: 10,
      queue_size: 1000,
    });
  });
});

describe('MemoryQueue', () => {
  it('is FIFO and reports its size', async () => {
    const sizes: number[] = [];
    const q = new MemoryQueue<number>(3, (n) => sizes.push(n));
    for (const n of [1, 2, 3]) expect(await q.put(n)).toBe(true);
    expect(q.size).toBe(3);
    expect([await q.take(), await q.take(), await q.take()]).toEqual([1, 2, 3]);
    expect(sizes).toEqual([1, 2, 3, 2, 1, 0]);
  });

  it('makes put wait while full (backpressure), in order', async () => {
    const q = new MemoryQueue<string>(1);
    await q.put('a');
    const admitted: string[] = [];
    void q.put('b').then(() => admitted.push('b'));
    void q.put('c').then(() => admitted.push('c'));
    await tick();
    expect(admitted).toEqual([]);
    expect(await q.take()).toBe('a');
    await tick();
    expect(admitted).toEqual(['b']);
    expect(await q.take()).toBe('b');
    expect(await q.take()).toBe('c');
    expect(q.size).toBe(0);
  });

  it('hands a put straight to a waiting taker', async () => {
    const q = new MemoryQueue<number>(1);
    const taken = q.take();
    await q.put(7);
    expect(await taken).toBe(7);
    expect(q.size).toBe(0);
  });

  it('on close: refuses waiting and new puts, lets takers drain, then ends them', async () => {
    const q = new MemoryQueue<number>(1);
    await q.put(1);
    const waiting = q.put(2);
    q.close();
    expect(await waiting).toBe(false);
    expect(await q.put(3)).toBe(false);
    expect(await q.take()).toBe(1);
    expect(await q.take()).toBeUndefined();
  });

  it('drain removes what is left', async () => {
    const q = new MemoryQueue<number>(5);
    await q.put(1);
    await q.put(2);
    expect(q.drain()).toEqual([1, 2]);
    expect(q.size).toBe(0);
  });
});

describe('runConsumers', () => {
  it('bounds concurrency to the consumer count and ends when the queue closes', async () => {
    const q = new MemoryQueue<number>(100);
    for (let i = 0; i < 20; i++) await q.put(i);
    let active = 0;
    let peak = 0;
    const handled: number[] = [];
    const done = runConsumers(q, 3, async (n) => {
      peak = Math.max(peak, ++active);
      await tick();
      handled.push(n);
      active--;
    });
    q.close();
    await done;
    expect(peak).toBe(3);
    expect(handled.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
