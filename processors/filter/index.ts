import type { ProcessorFactory } from '../../agent/kit/component.ts';
import { type FilterConfig, filterConfig } from './config.ts';

export type { FilterConfig };

export const filterFactory: ProcessorFactory<typeof filterConfig> = {
  kind: 'processor',
  type: 'filter',
  description:
    'Keeps or drops records by attribute; with two pipelines on one receiver, it routes records apart.',
  signals: ['logs'],
  config: filterConfig,
  workerModule: new URL('./worker.ts', import.meta.url).href,
};
