import type { ProcessorFactory } from '../../agent/kit/component.ts';
import { type AttributesConfig, attributesConfig } from './config.ts';

export type { AttributesConfig };

export const attributesFactory: ProcessorFactory<typeof attributesConfig> = {
  kind: 'processor',
  type: 'attributes',
  description: 'Inserts, updates, upserts or deletes record attributes with static values.',
  signals: ['logs'],
  config: attributesConfig,
  workerModule: new URL('./worker.ts', import.meta.url).href,
};
