import type { ProcessorFactory } from '../../agent/kit/component.ts';
import { memoryLimiterConfig } from './config.ts';
import { MemoryLimiter, type MemoryReader } from './limiter.ts';

/** The factory; `read` replaces the process's memory reading (tests force the limit with it). */
export function memoryLimiterFactoryWith(read: MemoryReader): ProcessorFactory<typeof memoryLimiterConfig> {
  return {
    kind: 'processor',
    type: 'memory_limiter',
    description:
      "The Collector's memory_limiter: above its soft limit the pipelines refuse new batches, so reading pauses until memory falls below it.",
    signals: ['logs', 'metrics', 'traces'],
    config: memoryLimiterConfig,
    workerModule: new URL('./worker.ts', import.meta.url).href,
    createMain: (settings, config) => new MemoryLimiter(settings, config, read),
  };
}
