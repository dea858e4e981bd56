// The filter processor's factory: its schema, its worker module (worker.ts, checked against the
// schema's output type) and, where it has one, its main-thread part (main.ts).
import type { ProcessorFactory } from '../../agent/kit/component.ts';
import { workerModule } from '../../agent/kit/worker/processor.ts';
import { type FilterConfig, filterConfig } from './config.ts';
import type { createProcessor } from './worker.ts';

export type { FilterConfig };

export const filterFactory: ProcessorFactory<typeof filterConfig> = {
  kind: 'processor',
  type: 'filter',
  description:
    'Keeps or drops records by attribute; with two pipelines on one receiver, it routes records apart.',
  signals: ['logs'],
  config: filterConfig,
  workerModule: workerModule<typeof createProcessor>(new URL('./worker.ts', import.meta.url)),
};
