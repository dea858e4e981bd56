// The k8s_metadata processor's factory: its schema, its worker module (worker.ts, checked against the
// schema's output type) and, where it has one, its main-thread part (main.ts).
import type { ProcessorFactory } from '../../agent/kit/component.ts';
import { workerModule } from '../../agent/kit/worker/processor.ts';
import { type K8sMetadataConfig, k8sMetadataConfig } from './config.ts';
import { MetadataMain } from './main.ts';
import type { createProcessor } from './worker.ts';

export type { K8sMetadataConfig };

export const k8sMetadataFactory: ProcessorFactory<typeof k8sMetadataConfig> = {
  kind: 'processor',
  type: 'k8s_metadata',
  description:
    "Adds the pod's workload, node, service account, labels and annotations to the resource, and names " +
    'the remote peer of access records (mesh.source.* / mesh.destination.*) from its pod IP.',
  signals: ['logs'],
  config: k8sMetadataConfig,
  workerModule: workerModule<typeof createProcessor>(new URL('./worker.ts', import.meta.url)),
  createMain: (settings, config, state) => new MetadataMain(settings, config, state),
};
