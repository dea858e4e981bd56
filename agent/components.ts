// Every component meshtail ships. Add a factory here and it is configurable, documented and tested
// by the registry conformance test.
import type { AnyFactory } from './component.ts';
import { Registry } from './registry.ts';

const factories: AnyFactory[] = [];

export const defaultRegistry = new Registry(factories);
