// The encrypt processor's factory: its schema, its worker module (worker.ts, checked against the
// schema's output type) and, where it has one, its main-thread part (main.ts).
import type { ProcessorFactory } from '../../agent/kit/component.ts';
import { workerModule } from '../../agent/kit/worker/processor.ts';
import { type EncryptConfig, encryptConfig } from './config.ts';
import { KeyringMain } from './main.ts';
import type { createProcessor } from './worker.ts';

export type { EncryptConfig };

export const encryptFactory: ProcessorFactory<typeof encryptConfig> = {
  kind: 'processor',
  type: 'encrypt',
  description:
    'Seals the sensitive fields of a record (and its body) into one AES-256-GCM ciphertext under a key ' +
    'from a keyring directory, and replaces joinable identifiers with keyed HMAC pseudonyms.',
  signals: ['logs'],
  config: encryptConfig,
  workerModule: workerModule<typeof createProcessor>(new URL('./worker.ts', import.meta.url)),
  guards: true,
  heavyScratch: true,
  createMain: (settings, config, state) => new KeyringMain(settings, config, state),
};
