export type { FileConfig } from './config.ts';
export { fileFactory } from './factory.ts';
