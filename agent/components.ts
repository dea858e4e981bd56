// Every component meshtail ships. Add a factory here and it is configurable, documented and tested
// by the registry conformance test.
import { otlpGrpcFactory } from '../exporters/otlp_grpc/index.ts';
import { attributesFactory } from '../processors/attributes/index.ts';
import { filelogFactory } from '../receivers/filelog/index.ts';
import { stdinFactory } from '../receivers/stdin/index.ts';
import type { AnyFactory } from './component.ts';
import { Registry } from './registry.ts';

const factories: AnyFactory[] = [filelogFactory, stdinFactory, attributesFactory, otlpGrpcFactory];

export const defaultRegistry = new Registry(factories);
