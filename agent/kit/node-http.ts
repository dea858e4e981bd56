// node:http, loaded through require. An ESM import of node:http makes Node build the module's ESM
// facade, which reads every export, and its lazy WebSocket, CloseEvent and MessageEvent getters
// load Node's bundled undici: 745 KiB of source compiled into the main heap, +14 MiB of RSS in a
// bare process against +2 MiB through require (Node 24.21; bench/RESULTS.md, Session 30).
import { createRequire } from 'node:module';

export const nodeHttp = createRequire(import.meta.url)('node:http') as typeof import('node:http');
