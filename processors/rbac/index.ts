import type { ProcessorFactory } from '../../agent/component.ts';
import { type RbacConfig, rbacConfig } from './config.ts';

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
  workerModule: new URL('./worker.ts', import.meta.url).href,
  guards: true,
};
