// The rbac processor's factory: its schema, its worker module (worker.ts, checked against the
// schema's output type) and, where it has one, its main-thread part (main.ts).
import type { ProcessorFactory } from '../../agent/kit/component.ts';
import { workerModule } from '../../agent/kit/worker/processor.ts';
import { type RbacConfig, rbacConfig } from './config.ts';
import type { createProcessor } from './worker.ts';

export type { RbacConfig };

export const rbacFactory: ProcessorFactory<typeof rbacConfig> = {
  kind: 'processor',
  type: 'rbac',
  description:
    'Assigns each record its tenant (meshtail.tenant), data.classification and meshtail.audience by the ' +
    'first matching rule of a policy file, and gives roles that may read only aggregates per-batch ' +
    'request counts, error ratio and latency histograms per source and destination.',
  signals: ['logs'],
  config: rbacConfig,
  workerModule: workerModule<typeof createProcessor>(new URL('./worker.ts', import.meta.url)),
  guards: true,
};
