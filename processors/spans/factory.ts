// The spans processor's factory: its schema, its worker module (worker.ts, checked against the
// schema's output type) and, where it has one, its main-thread part (main.ts).
import type { ProcessorFactory } from '../../agent/kit/component.ts';
import { workerModule } from '../../agent/kit/worker/processor.ts';
import { type SpansConfig, spansConfig } from './config.ts';
import type { createProcessor } from './worker.ts';

export type { SpansConfig };

export const spansFactory: ProcessorFactory<typeof spansConfig> = {
  kind: 'processor',
  type: 'spans',
  description:
    'Turns every HTTP access record into a span (server for inbound, client for outbound), with trace ' +
    'context from traceparent/B3 or derived from x-request-id so both hops of a request share a trace.',
  signals: ['logs'],
  derives: ['traces'],
  config: spansConfig,
  workerModule: workerModule<typeof createProcessor>(new URL('./worker.ts', import.meta.url)),
};
