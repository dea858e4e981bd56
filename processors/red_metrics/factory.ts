// The red_metrics processor's factory: its schema, its worker module (worker.ts, checked against the
// schema's output type) and, where it has one, its main-thread part (main.ts).
import type { ProcessorFactory } from '../../agent/kit/component.ts';
import { workerModule } from '../../agent/kit/worker/processor.ts';
import { type RedMetricsConfig, redMetricsConfig } from './config.ts';
import { RedMetricsMain } from './main.ts';
import type { createProcessor } from './worker.ts';

export type { RedMetricsConfig };

export const redMetricsFactory: ProcessorFactory<typeof redMetricsConfig> = {
  kind: 'processor',
  type: 'red_metrics',
  description:
    'Request count, error count and a duration histogram per source, destination and status class from ' +
    'HTTP access records, with a cardinality limit; delta from the workers or cumulative from the main thread.',
  signals: ['logs'],
  derives: ['metrics'],
  config: redMetricsConfig,
  workerModule: workerModule<typeof createProcessor>(new URL('./worker.ts', import.meta.url)),
  createMain: (settings, config, _state, output) => new RedMetricsMain(settings, config, output),
};
