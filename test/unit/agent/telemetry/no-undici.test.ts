// The runtime, its admin server and the OTLP/HTTP exporter do not load Node's bundled undici: an ESM
// import of node:http does (its facade reads the lazy WebSocket getters), ~12 MiB of RSS for nothing
// (agent/kit/node-http.ts). Checked in a fresh process, since the test runner has loaded it itself.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const MODULES = [
  '../../../../agent/agent.ts',
  '../../../../agent/default-registry.ts',
  '../../../../agent/telemetry/admin-server.ts',
  '../../../../exporters/otlp_http/transport.ts',
].map((m) => new URL(m, import.meta.url).href);

function loadedBuiltins(modules: string[]): string[] {
  const script = `for (const m of ${JSON.stringify(modules)}) await import(m);
console.log(JSON.stringify(process.moduleLoadList));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return JSON.parse(out) as string[];
}

describe('undici stays unloaded', () => {
  it('is not loaded by the runtime, its admin server or the OTLP/HTTP exporter', () => {
    expect(loadedBuiltins(MODULES).filter((m) => m.includes('undici'))).toEqual([]);
  });

  it('would be loaded by an ESM import of node:http (what the check guards against)', () => {
    expect(loadedBuiltins(['node:http']).filter((m) => m.includes('undici')).length).toBeGreaterThan(0);
  });
});
