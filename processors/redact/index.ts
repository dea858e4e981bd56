import type { ProcessorFactory } from '../../agent/component.ts';
import { type RedactConfig, redactConfig } from './config.ts';
import { RedactMain } from './redact-main.ts';

export type { RedactConfig };

export const redactFactory: ProcessorFactory<typeof redactConfig> = {
  kind: 'processor',
  type: 'redact',
  description:
    'Masks, pseudonymises (keyed HMAC) or drops credentials and personal data in header values, paths, ' +
    'queries and the body: auth headers, cookies, API keys, JWTs, provider keys, emails, cards, IBANs, IPs.',
  signals: ['logs'],
  config: redactConfig,
  workerModule: new URL('./worker.ts', import.meta.url).href,
  guards: true,
  createMain: (settings, config, state) => new RedactMain(settings, config, state),
};
