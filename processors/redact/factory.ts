// The redact processor's factory: its schema, its worker module (worker.ts, checked against the
// schema's output type) and, where it has one, its main-thread part (main.ts).
import type { ProcessorFactory } from '../../agent/kit/component.ts';
import { workerModule } from '../../agent/kit/worker/processor.ts';
import { type RedactConfig, redactConfig } from './config.ts';
import { RedactMain } from './main.ts';
import type { createProcessor } from './worker.ts';

export type { RedactConfig };

export const redactFactory: ProcessorFactory<typeof redactConfig> = {
  kind: 'processor',
  type: 'redact',
  description:
    'Masks, pseudonymises (keyed HMAC) or drops credentials and personal data in header values, paths, ' +
    'queries and the body: auth headers, cookies, API keys, JWTs, provider keys, emails, cards, IBANs, IPs.',
  signals: ['logs'],
  config: redactConfig,
  workerModule: workerModule<typeof createProcessor>(new URL('./worker.ts', import.meta.url)),
  guards: true,
  heavyScratch: true,
  createMain: (settings, config, state) => new RedactMain(settings, config, state),
};
