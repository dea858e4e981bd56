import type { ReceiverFactory } from '../../agent/kit/component.ts';
import { type FilelogConfig, filelogConfig } from './config.ts';
import { FilelogReceiver } from './receiver.ts';

export type { FilelogConfig };

export const filelogFactory: ReceiverFactory<typeof filelogConfig> = {
  kind: 'receiver',
  type: 'filelog',
  description:
    "Tails log files (the sidecar proxies' container logs on the node), CRI or docker framed, with checkpoints.",
  signals: ['logs'],
  config: filelogConfig,
  create: (settings, config, next) => new FilelogReceiver(settings, config, next),
};
