// `meshtail validate` checks what `run` needs from the machine before it starts: keyring
// directories, policy files, TLS files, addresses, each reported at its option as FILE:LINE:COL,
// exit 2. And Collector configs: `otlp`/`otlphttp` are accepted, Collector components meshtail
// lacks are named as such.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runValidate } from '../../../../agent/config/validate-command.ts';
import { defaultRegistry } from '../../../../agent/default-registry.ts';
import { tempKeyring } from '../../../support/encrypt-keyring.ts';

const dir = mkdtempSync(join(tmpdir(), 'meshtail-preflight-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function validate(name: string, text: string): { status: number; lines: string[] } {
  const file = join(dir, name);
  writeFileSync(file, text);
  let out = '';
  let err = '';
  const status = runValidate(file, defaultRegistry, {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
  });
  return { status, lines: (status === 0 ? out : err).trim().split('\n') };
}

const PIPELINE = `service:
  data_dir: ${dir}/state
  telemetry: { metrics: { address: 127.0.0.1:0 } }
  pipelines:
    logs: { receivers: [filelog], processors: [PROCESSORS], exporters: [EXPORTER] }
`;

function config(processors: string, exporters: string, ids: { processors: string; exporter: string }) {
  return `receivers:
  filelog: { include: [/var/log/pods/*/*/*.log] }
processors:
${processors}exporters:
${exporters}${PIPELINE.replace('PROCESSORS', ids.processors).replace('EXPORTER', ids.exporter)}`;
}

describe('validate: what run needs from the machine', () => {
  it('reports a missing keyring directory at its option', () => {
    const r = validate(
      'keyring.yaml',
      config(`  encrypt: { keyring: ${dir}/no-such-keys }\n`, '  debug: {}\n', {
        processors: 'encrypt',
        exporter: 'debug',
      }),
    );
    expect(r.status).toBe(2);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(
      new RegExp(`^${dir}/keyring\\.yaml:4:23: keyring: cannot read the keyring directory`),
    );
    expect(r.lines[0]).toContain('ENOENT');
  });

  it('reports a keyring without an active key', () => {
    mkdirSync(join(dir, 'empty-keys'));
    const r = validate(
      'empty-keyring.yaml',
      config(`  encrypt: { keyring: ${dir}/empty-keys }\n`, '  debug: {}\n', {
        processors: 'encrypt',
        exporter: 'debug',
      }),
    );
    expect(r.status).toBe(2);
    expect(r.lines[0]).toMatch(/empty-keyring\.yaml:4:23: keyring: .*no 'active' file/);
  });

  it('accepts a keyring that loads', () => {
    const keys = tempKeyring().dir;
    const r = validate(
      'good-keyring.yaml',
      config(`  encrypt: { keyring: ${keys} }\n`, '  debug: {}\n', {
        processors: 'encrypt',
        exporter: 'debug',
      }),
    );
    expect(r.lines).toEqual([`${dir}/good-keyring.yaml: valid`]);
    expect(r.status).toBe(0);
  });

  it('reports a missing rbac policy file at its option', () => {
    const r = validate(
      'policy.yaml',
      config(`  rbac:\n    policy: ${dir}/no-such-policy.yaml\n`, '  debug: {}\n', {
        processors: 'rbac',
        exporter: 'debug',
      }),
    );
    expect(r.status).toBe(2);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(/^.+policy\.yaml:5:13: .*no-such-policy\.yaml/);
  });

  it('reports missing and unparsable TLS files at their options', () => {
    writeFileSync(join(dir, 'not-a-cert.pem'), 'hello\n');
    const r = validate(
      'tls.yaml',
      config(
        '',
        `  otlp:\n    endpoint: 127.0.0.1:4317\n    tls:\n      ca_file: ${dir}/missing-ca.pem\n      cert_file: ${dir}/not-a-cert.pem\n      key_file: ${dir}/missing-key.pem\n`,
        { processors: '', exporter: 'otlp' },
      ),
    );
    expect(r.status).toBe(2);
    expect(
      r.lines.map((l) => l.slice(l.indexOf('tls.yaml'), l.indexOf(': ', l.indexOf('tls.yaml')))),
    ).toEqual(['tls.yaml:8:16', 'tls.yaml:9:18', 'tls.yaml:10:17']);
    expect(r.lines[0]).toContain('ca_file: cannot read');
    expect(r.lines[1]).toContain('does not hold a PEM certificate');
    expect(r.lines[2]).toContain('key_file: cannot read');
  });

  it('reports an admin address that is not host:port', () => {
    const text = config('', '  debug: {}\n', { processors: '', exporter: 'debug' }).replace(
      '127.0.0.1:0',
      '127.0.0.1:99999',
    );
    const r = validate('address.yaml', text);
    expect(r.status).toBe(2);
    expect(r.lines[0]).toMatch(/address\.yaml:8:36: address: port 99999 is out of range/);
  });
});

describe('validate: Collector configs', () => {
  it('accepts otlp and otlphttp, batch and memory_limiter', () => {
    const r = validate(
      'collector.yaml',
      config(
        '  memory_limiter: { check_interval: 1s, limit_mib: 400 }\n  batch: { timeout: 1s }\n',
        '  otlp: { endpoint: 127.0.0.1:4317, tls: { insecure: true } }\n  otlphttp: { endpoint: http://127.0.0.1:4318 }\n',
        { processors: 'memory_limiter, batch', exporter: 'otlp, otlphttp' },
      ),
    );
    expect(r.lines).toEqual([`${dir}/collector.yaml: valid`]);
  });

  it('names Collector components meshtail lacks, and what to use instead', () => {
    const r = validate(
      'lacks.yaml',
      config('  k8sattributes: {}\n', '  prometheusremotewrite: {}\n', {
        processors: 'k8sattributes',
        exporter: 'prometheusremotewrite',
      }),
    );
    expect(r.status).toBe(2);
    expect(r.lines[0]).toContain(
      'lacks.yaml:4:3: "k8sattributes" is an OpenTelemetry Collector processor meshtail does not have; use k8s_metadata',
    );
    expect(r.lines[1]).toContain(
      'lacks.yaml:6:3: "prometheusremotewrite" is an OpenTelemetry Collector exporter meshtail does not have',
    );
    expect(r.lines.join('\n')).not.toContain('unknown');
  });

  it('checks memory_limiter as the Collector does: one limit, spike below it', () => {
    const r = validate(
      'limits.yaml',
      config('  memory_limiter: { limit_mib: 100, spike_limit_mib: 100 }\n', '  debug: {}\n', {
        processors: 'memory_limiter',
        exporter: 'debug',
      }),
    );
    expect(r.status).toBe(2);
    expect(r.lines[0]).toContain('spike_limit_mib');
  });
});
