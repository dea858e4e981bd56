// The anomaly processor's factory: its schema, its worker module (worker.ts, checked against the
// schema's output type) and, where it has one, its main-thread part (main.ts).
import type { ProcessorFactory } from '../../agent/kit/component.ts';
import { workerModule } from '../../agent/kit/worker/processor.ts';
import { type AnomalyConfig, anomalyConfig } from './config.ts';
import { AnomalyMain } from './main.ts';
import type { createProcessor } from './worker.ts';

export type { AnomalyConfig };

export const anomalyFactory: ProcessorFactory<typeof anomalyConfig> = {
  kind: 'processor',
  type: 'anomaly',
  description:
    'Watches the proxies: per event-time bucket, bursts and drops of request rate, access-denied spikes, ' +
    'probing, new call paths, error-ratio and p99 latency shifts and upstream-failure storms, emitted as ' +
    'meshtail.anomaly.* log records and a meshtail.anomaly.score gauge.',
  signals: ['logs'],
  config: anomalyConfig,
  workerModule: workerModule<typeof createProcessor>(new URL('./worker.ts', import.meta.url)),
  createMain: (settings, config, _state, output) => new AnomalyMain(settings, config, output),
};
