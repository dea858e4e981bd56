// The main-thread part: without a configured hash_key, one random key for the whole process, so
// every worker thread gives the same pseudonym for the same value. Logged once, as such.
import type { ComponentSettings, ProcessorMain } from '../../agent/kit/component.ts';
import type { SharedStateWriter } from '../../agent/kit/worker/shared-state.ts';
import type { RedactConfig } from './config.ts';
import { ephemeralKey } from './keyed-hash.ts';

/** What the workers read: the key id and the key, base64. */
export interface PublishedKey {
  id: string;
  key: string;
}

export class RedactMain implements ProcessorMain {
  constructor(settings: ComponentSettings, config: RedactConfig, state: SharedStateWriter) {
    if (config.hash_key !== undefined) return;
    const key = ephemeralKey();
    state.publish({ id: key.id, key: key.key.toString('base64') } satisfies PublishedKey);
    settings.logger.warn(
      { processor: settings.id, hash_key_id: key.id },
      'no hash_key configured: pseudonyms use a random per-process key and change on every restart',
    );
  }

  async start(): Promise<void> {}

  async shutdown(): Promise<void> {}
}
