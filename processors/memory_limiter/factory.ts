import { processRss } from './limiter.ts';
import { memoryLimiterFactoryWith } from './limiter-factory.ts';

export const memoryLimiterFactory = memoryLimiterFactoryWith(processRss);
