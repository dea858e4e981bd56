// Every component, loaded: what the docs generator, validate's tests and the conformance test read.
// The agent itself loads only what its config names (components.ts, loadNamed).
import { fullRegistry } from './components.ts';

export const defaultRegistry = await fullRegistry();
