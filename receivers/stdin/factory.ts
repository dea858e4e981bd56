// The stdin receiver's factory: reads lines from standard input, for piping a file through a
// pipeline. Exports the factory and the Config type, nothing else.
import type { ReceiverFactory } from '../../agent/kit/component.ts';
import { type StdinConfig, stdinConfig } from './config.ts';
import { StdinReceiver } from './receiver.ts';

export type { StdinConfig };

export const stdinFactory: ReceiverFactory<typeof stdinConfig> = {
  kind: 'receiver',
  type: 'stdin',
  description: 'Reads log lines from standard input, for piping.',
  signals: ['logs'],
  config: stdinConfig,
  create: (settings, config, next) => new StdinReceiver(settings, config, next),
};
