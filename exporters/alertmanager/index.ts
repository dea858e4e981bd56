export type { AlertmanagerConfig } from './config.ts';
export { alertmanagerFactory } from './factory.ts';
