import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderConfigurationDocs } from '../../../../agent/config/docs.ts';
import { CONFIGURATION_DOCS } from '../../../../agent/config/docs-cli.ts';
import { defaultRegistry } from '../../../../agent/default-registry.ts';
import { Registry } from '../../../../agent/registry.ts';
import { fakeRegistry } from './fake-registry.ts';

describe('renderConfigurationDocs', () => {
  const docs = renderConfigurationDocs(fakeRegistry);

  it('lists every component by kind with its description and signals', () => {
    const headings = docs.split('\n').filter((l) => l.startsWith('#'));
    expect(headings).toEqual([
      '# Configuration reference',
      '## Collector names',
      '## Receivers',
      '### fake_rx',
      '## Processors',
      '### fake_proc',
      '## Exporters',
      '### fake_all',
      '### fake_logs_only',
      '## service',
    ]);
    expect(docs).toContain('### fake_logs_only\n\nWrites logs somewhere.\n\nSignals: logs.\n');
    expect(docs).toContain('Signals: logs, traces, metrics.');
  });

  it('renders one row per option kind, nested options dotted', () => {
    for (const row of [
      '| `include` | list of string | `[]` | Globs of files to read. |',
      '| `start_at` | one of: beginning, end | `end` | Where to start a new file. |',
      '| `poll_interval` | duration | `200ms` | How often to poll. |',
      '| `max_batch` | size | `256KiB` | Largest batch \\| in bytes. |',
      '| `fingerprint_size` | integer | `1000` | Bytes that identify a file. |',
      '| `attributes` | map of string | `{}` | Added to every record. |',
      '| `multiline` | object | — | Joins lines into one record. |',
      '| `multiline.line_start_pattern` | string | required | Regex of a first line. |',
      '| `enabled` | boolean | `true` | Turns it on. |',
      '| `ratio` | number | `0.5` | A fraction. |',
      '| `mode` | one of: fast, safe | `safe` | How hard to try. |',
      '| `endpoint` | string | required | host:port of the backend. |',
      '| `password` | string | — | Basic auth password. |',
      '| `headers` | map of string | — | Sent with every request. |',
      '| `proxy` | string or null | `null` | HTTP proxy; null for none. |',
      '| `tls` | object | `{}` | TLS settings. |',
      '| `tls.insecure` | boolean | `false` | Plaintext. |',
      '| `sending_queue.storage` | one of: memory, disk | `memory` | Where the queue lives. |',
      '| `sending_queue.queue_size` | size | `64MiB` | Bytes held before refusing. |',
      '| `routes` | list of object | `[]` | Per-tenant routes. |',
      '| `routes[].tenant` | string | required | Tenant id. |',
    ]) {
      expect(docs).toContain(row);
    }
  });

  it('documents the service section from its schema', () => {
    expect(docs).toContain('| `pipelines.<id>.processors` | list of string | `[]` |');
    expect(docs).toContain('| `shutdown_timeout` | duration | `30s` |');
    expect(docs).toContain('| `telemetry.logs.level` | one of: debug, info, warn, error | `info` |');
  });

  it('says so when a kind has no components', () => {
    expect(renderConfigurationDocs(new Registry([]))).toContain('No receivers are registered yet.');
  });
});

describe('docs/configuration.md', () => {
  it('is up to date with the registry (run `npm run docs` when this fails)', () => {
    expect(readFileSync(CONFIGURATION_DOCS, 'utf8')).toBe(renderConfigurationDocs(defaultRegistry));
  });
});
