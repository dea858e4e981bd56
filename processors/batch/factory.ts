import type { ProcessorFactory } from '../../agent/kit/component.ts';
import { batchConfig } from './config.ts';

export const batchFactory: ProcessorFactory<typeof batchConfig> = {
  kind: 'processor',
  type: 'batch',
  description:
    "The Collector's batch processor, accepted so Collector configs carry over: meshtail batches at the read already.",
  signals: ['logs', 'metrics', 'traces'],
  config: batchConfig,
  workerModule: new URL('./worker.ts', import.meta.url).href,
};
