// The attributes processor's factory: its schema, its worker module (worker.ts, checked against the
// schema's output type) and, where it has one, its main-thread part (main.ts).
import type { ProcessorFactory } from '../../agent/kit/component.ts';
import { workerModule } from '../../agent/kit/worker/processor.ts';
import { type AttributesConfig, attributesConfig } from './config.ts';
import type { createProcessor } from './worker.ts';

export type { AttributesConfig };

export const attributesFactory: ProcessorFactory<typeof attributesConfig> = {
  kind: 'processor',
  type: 'attributes',
  description: 'Inserts, updates, upserts or deletes record attributes with static values.',
  signals: ['logs'],
  config: attributesConfig,
  workerModule: workerModule<typeof createProcessor>(new URL('./worker.ts', import.meta.url)),
};
