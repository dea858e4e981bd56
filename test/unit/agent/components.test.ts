// The agent loads only the components its config names (agent/components.ts): what it leaves out
// costs no memory. Checked on the registry (what got loaded) and on a fresh process (which
// component modules were imported at all).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { componentRegistry, loadNamed, loadNamedInFile } from '../../../agent/components.ts';
import { loadConfigText } from '../../../agent/config/load-config.ts';
import { defaultRegistry } from '../../../agent/default-registry.ts';

const CONFIG = `
receivers:
  filelog/istio: { include: [/var/log/pods/*/istio-proxy/*.log] }
processors:
  mesh_parse: {}
exporters:
  otlp/gateway: { endpoint: gateway:4317 }
  file: { path: /tmp/out.jsonl }
service:
  pipelines:
    logs: { receivers: [filelog/istio], processors: [mesh_parse], exporters: [otlp/gateway, file] }
`;

const loaded = (r: ReturnType<typeof componentRegistry>) =>
  r
    .all()
    .map((f) => `${f.kind}/${f.type}`)
    .sort();

describe('components', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshtail-components-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the types a config names, the Collector spellings included, and nothing else', async () => {
    const registry = await loadNamed(componentRegistry(), CONFIG);
    expect(loaded(registry)).toEqual([
      'exporter/file',
      'exporter/otlp_grpc',
      'processor/mesh_parse',
      'receiver/filelog',
    ]);
    const result = loadConfigText(CONFIG, 'c.yaml', registry);
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual([]);
  });

  it('still knows every type, so an unknown one is reported with the full list', async () => {
    const registry = componentRegistry();
    for (const kind of ['receiver', 'processor', 'exporter'] as const)
      expect(registry.types(kind)).toEqual(defaultRegistry.types(kind));
    const text = CONFIG.replace('mesh_parse: {}', 'mesh_prase: {}').replace('[mesh_parse]', '[mesh_prase]');
    await loadNamed(registry, text);
    const result = loadConfigText(text, 'c.yaml', registry);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.errors[0]!.message).toMatch(/unknown processor type "mesh_prase".*redact/);
  });

  it('loads more into the same registry when a reload names new types', async () => {
    const registry = await loadNamed(componentRegistry(), CONFIG);
    const before = registry.exporter('otlp_grpc');
    await loadNamed(registry, CONFIG.replace('mesh_parse: {}', 'mesh_parse: {}\n  redact: {}'));
    expect(registry.processor('redact')?.type).toBe('redact');
    expect(registry.exporter('otlp_grpc')).toBe(before);
  });

  it('loads everything for text that is not YAML, and nothing for a file it cannot read', async () => {
    expect(loaded(await loadNamed(componentRegistry(), 'receivers: [unclosed'))).toEqual(
      loaded(defaultRegistry),
    );
    const none = componentRegistry();
    expect(await loadNamedInFile(none, join(dir, 'missing.yaml'))).toBeUndefined();
    expect(none.all()).toEqual([]);
  });

  it('a process that validates a config imports no module of the components it does not name', () => {
    const file = join(dir, 'c.yaml');
    writeFileSync(file, CONFIG);
    const script = `
      const { componentRegistry, loadNamedInFile } = await import(${JSON.stringify(new URL('../../../agent/components.ts', import.meta.url).href)});
      await loadNamedInFile(componentRegistry(), ${JSON.stringify(file)});
    `;
    // Which component folders a fresh process has imported, read from the ESM loader's cache
    // through a resolve hook registered before anything else.
    const hook = `
      import { registerHooks } from 'node:module';
      globalThis.__seen = new Set();
      registerHooks({ resolve(s, c, next) { const r = next(s, c); globalThis.__seen.add(r.url); return r; } });
      process.on('exit', () => process.stdout.write(JSON.stringify([...globalThis.__seen])));
    `;
    const out = execFileSync(
      process.execPath,
      ['--import', `data:text/javascript,${encodeURIComponent(hook)}`, '--input-type=module', '-e', script],
      { encoding: 'utf8' },
    );
    const folders = new Set(
      (JSON.parse(out.slice(out.indexOf('['))) as string[])
        .map((u) => /\/(receivers|processors|exporters)\/(\w+)\//.exec(u))
        .filter((m) => m !== null)
        .map((m) => `${m[1]}/${m[2]}`),
    );
    expect([...folders].sort()).toEqual([
      'exporters/file',
      'exporters/otlp_grpc',
      'processors/mesh_parse',
      'receivers/filelog',
    ]);
  });
});
