export type { OtlpHttpConfig } from './config.ts';
export { otlpHttpFactory } from './factory.ts';
