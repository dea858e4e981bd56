// biome-ignore-all lint/suspicious/noTemplateCurlyInString: config text with ${env:...} references.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig, loadConfigText } from '../../../../agent/config/load-config.ts';
import type { AgentConfig, LoadResult } from '../../../../agent/config/types.ts';
import { formatConfigError } from '../../../../agent/kit/config/config-error.ts';
import { fakeRegistry } from './fake-registry.ts';

const fixture = fileURLToPath(new URL('../../../fixtures/config/valid/full.yaml', import.meta.url));
const env = { GATEWAY_HOST: 'gw', GATEWAY_PORT: '4317', TENANT: '123', THREADS: '4' };

function loaded(result: LoadResult): AgentConfig {
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.line}:${e.column}: ${e.message}`).join('\n'));
  return result.config;
}

const minimal = (exporter: string) => `
receivers: { fake_rx: }
exporters:
  fake_all:
${exporter}
service:
  pipelines: { logs: { receivers: [fake_rx], exporters: [fake_all] } }
`;

describe('loadConfig', () => {
  it('loads every section with ids, types and defaults applied', () => {
    const config = loaded(loadConfig(fixture, fakeRegistry, { env }));
    expect(config.file).toBe(fixture);
    expect([...config.receivers.keys()]).toEqual(['fake_rx/istio', 'fake_rx']);
    expect(config.receivers.get('fake_rx/istio')).toEqual({
      id: 'fake_rx/istio',
      type: 'fake_rx',
      kind: 'receiver',
      config: {
        include: ['/var/log/pods/*/istio-proxy/*.log'],
        start_at: 'end',
        poll_interval: 1000,
        max_batch: 1024 * 1024,
        fingerprint_size: 1000,
        attributes: {},
      },
    });
    // An empty value means every default.
    expect(config.receivers.get('fake_rx')?.config).toMatchObject({
      poll_interval: 200,
      max_batch: 256 * 1024,
    });
    expect(config.processors.get('fake_proc')?.config).toEqual({ enabled: true, ratio: 0.5, mode: 'safe' });
    expect(config.service.pipelines['logs/audit']).toEqual({
      receivers: ['fake_rx'],
      processors: [],
      exporters: ['fake_all/gateway'],
    });
    expect(config.service.shutdown_timeout).toBe(30_000);
    expect(config.service.telemetry.metrics.address).toBe('127.0.0.1:8888');
  });

  it('substitutes env (with defaults), files relative to the config, and $$', () => {
    const config = loaded(loadConfig(fixture, fakeRegistry, { env }));
    const gateway = config.exporters.get('fake_all/gateway')?.config;
    expect(gateway).toMatchObject({
      endpoint: 'gw:4317',
      password: 's3cr3t', // file content without its trailing newline
      headers: { 'x-scope-orgid': '123', cost: 'price in $' },
    });
    expect(config.exporters.get('fake_logs_only')?.config).toEqual({ path: '/tmp/out.jsonl' });
    // A plain scalar that is one whole reference is re-parsed: "4" became the integer 4.
    expect(config.service.workers.threads).toBe(4);
  });

  it('re-parses a whole reference as YAML, keeps quoted ones strings, and retypes to string when the option wants one', () => {
    const text = minimal(
      '    endpoint: ${env:HOST}\n    password: ${env:PIN}\n    tls:\n      insecure: ${env:INSECURE}',
    );
    const exporter = loaded(
      loadConfigText(text, 'inline.yaml', fakeRegistry, {
        env: { HOST: '8080', PIN: '1234', INSECURE: 'true' },
      }),
    ).exporters.get('fake_all')?.config;
    expect(exporter).toMatchObject({ endpoint: '8080', password: '1234', tls: { insecure: true } });

    const quoted = minimal('    endpoint: "${env:HOST}"\n    timeout: ${env:TIMEOUT}');
    const config = loaded(
      loadConfigText(quoted, 'inline.yaml', fakeRegistry, { env: { HOST: 'x', TIMEOUT: '250' } }),
    );
    expect(config.exporters.get('fake_all')?.config).toMatchObject({ endpoint: 'x', timeout: 250 });
  });

  it('treats an unset variable with an empty default as an empty string', () => {
    const text = minimal('    endpoint: gw\n    password: ${env:NOPE:-}');
    const config = loaded(loadConfigText(text, 'inline.yaml', fakeRegistry, { env: {} }));
    expect(config.exporters.get('fake_all')?.config).toMatchObject({ password: '' });
  });

  it('reports an unreadable config file at 1:1', () => {
    const result = loadConfig('/nonexistent/meshtail.yaml', fakeRegistry);
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          file: '/nonexistent/meshtail.yaml',
          line: 1,
          column: 1,
          message: 'cannot read the config file (ENOENT)',
        },
      ],
    });
  });

  it('uses the text given instead of reading the file', () => {
    const result = loadConfig('virtual.yaml', fakeRegistry, { text: minimal('    endpoint: gw') });
    expect(loaded(result).file).toBe('virtual.yaml');
  });
});

describe('YAML errors', () => {
  // Broken YAML is tested inline: as a fixture file it would break `biome check .`, which parses YAML.
  it('reports the first syntax error, not the parser echoes after it', () => {
    const result = loadConfigText(
      'receivers:\n  fake_rx: { include: [a.log }\nservice: {}\n',
      'bad.yaml',
      fakeRegistry,
    );
    expect(result.ok ? [] : result.errors.map(formatConfigError)).toEqual([
      'bad.yaml:2:30: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('reports tabs used as indentation', () => {
    const result = loadConfigText('receivers:\n\tfake_rx: {}\n', 'tabs.yaml', fakeRegistry);
    expect(result.ok ? [] : result.errors.map(formatConfigError)).toEqual([
      'tabs.yaml:2:1: YAML syntax error: Tabs are not allowed as indentation',
    ]);
  });

  it('treats an empty file as a config without a service section', () => {
    const result = loadConfigText('', 'empty.yaml', fakeRegistry);
    expect(result.ok ? [] : result.errors.map(formatConfigError)).toEqual([
      'empty.yaml:1:1: missing required section "service"; it defines the pipelines',
    ]);
  });

  it('rejects a document that is not a map', () => {
    const result = loadConfigText('- receivers\n', 'list.yaml', fakeRegistry);
    expect(result.ok ? [] : result.errors.map(formatConfigError)).toEqual([
      'list.yaml:1:1: expected a map with the sections receivers, processors, exporters, service',
    ]);
  });
});
