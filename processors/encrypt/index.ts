import type { ProcessorFactory } from '../../agent/component.ts';
import { type EncryptConfig, encryptConfig } from './config.ts';
import { KeyringMain } from './keyring-main.ts';

export type { EncryptConfig };

export const encryptFactory: ProcessorFactory<typeof encryptConfig> = {
  kind: 'processor',
  type: 'encrypt',
  description:
    'Seals the sensitive fields of a record (and its body) into one AES-256-GCM ciphertext under a key ' +
    'from a keyring directory, and replaces joinable identifiers with keyed HMAC pseudonyms.',
  signals: ['logs'],
  config: encryptConfig,
  workerModule: new URL('./worker.ts', import.meta.url).href,
  guards: true,
  createMain: (settings, config, state) => new KeyringMain(settings, config, state),
};
