import type { ProcessorFactory } from '../../agent/kit/component.ts';
import { type MeshParseConfig, meshParseConfig } from './config.ts';

export type { MeshParseConfig };

export const meshParseFactory: ProcessorFactory<typeof meshParseConfig> = {
  kind: 'processor',
  type: 'mesh_parse',
  description:
    'Parses Istio/Envoy (text and JSON, every default format version), Linkerd and ztunnel proxy output ' +
    'into access and proxy-log records with access labels (direction, source, destination, user).',
  signals: ['logs'],
  config: meshParseConfig,
  workerModule: new URL('./worker.ts', import.meta.url).href,
};
