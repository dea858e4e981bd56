import type { ProcessorFactory } from '../../agent/kit/component.ts';
import { type K8sMetadataConfig, k8sMetadataConfig } from './config.ts';
import { MetadataMain } from './metadata-main.ts';

export type { K8sMetadataConfig };

export const k8sMetadataFactory: ProcessorFactory<typeof k8sMetadataConfig> = {
  kind: 'processor',
  type: 'k8s_metadata',
  description:
    "Adds the pod's workload, node, service account, labels and annotations to the resource, and names " +
    'the remote peer of access records (mesh.source.* / mesh.destination.*) from its pod IP.',
  signals: ['logs'],
  config: k8sMetadataConfig,
  workerModule: new URL('./worker.ts', import.meta.url).href,
  createMain: (settings, config, state) => new MetadataMain(settings, config, state),
};
