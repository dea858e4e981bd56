export type { OtlpGrpcConfig } from './config.ts';
export { otlpGrpcFactory } from './factory.ts';
