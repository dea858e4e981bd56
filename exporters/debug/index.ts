export type { DebugConfig } from './config.ts';
export { debugFactory } from './factory.ts';
