// The mesh_parse processor's factory: its schema, its worker module (worker.ts, checked against the
// schema's output type) and, where it has one, its main-thread part (main.ts).
import type { ProcessorFactory } from '../../agent/kit/component.ts';
import { workerModule } from '../../agent/kit/worker/processor.ts';
import { type MeshParseConfig, meshParseConfig } from './config.ts';
import type { createProcessor } from './worker.ts';

export type { MeshParseConfig };

export const meshParseFactory: ProcessorFactory<typeof meshParseConfig> = {
  kind: 'processor',
  type: 'mesh_parse',
  description:
    'Parses Istio/Envoy (text and JSON, every default format version), Linkerd and ztunnel proxy output ' +
    'into access and proxy-log records with access labels (direction, source, destination, user).',
  signals: ['logs'],
  config: meshParseConfig,
  workerModule: workerModule<typeof createProcessor>(new URL('./worker.ts', import.meta.url)),
};
