// The queue's consumers: `count` loops that each take one item and handle it to the end before
// taking the next, so `count` bounds the payloads in flight (the Collector's num_consumers).
import type { PayloadQueue } from './payload-queue.ts';

/** Resolves when the queue is closed and empty and every handler has returned. */
export async function runConsumers<T>(
  queue: PayloadQueue<T>,
  count: number,
  handle: (item: T) => Promise<void>,
): Promise<void> {
  const loop = async () => {
    for (let item = await queue.take(); item !== undefined; item = await queue.take()) {
      await handle(item);
    }
  };
  await Promise.all(Array.from({ length: count }, loop));
}
