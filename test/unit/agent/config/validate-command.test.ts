import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runValidate } from '../../../../agent/config/validate-command.ts';
import { fakeRegistry } from './fake-registry.ts';

const fixtures = fileURLToPath(new URL('../../../fixtures/config/', import.meta.url));

function capture() {
  const out = { stdout: '', stderr: '' };
  const streams = {
    stdout: { write: (t: string) => (out.stdout += t) },
    stderr: { write: (t: string) => (out.stderr += t) },
  };
  return { out, streams };
}

describe('runValidate', () => {
  it('prints FILE:LINE:COL lines to stderr and returns 2 for an invalid file', () => {
    const { out, streams } = capture();
    const file = `${fixtures}invalid/unused-component.yaml`;
    expect(runValidate(file, fakeRegistry, streams)).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr.trimEnd().split('\n')).toEqual([
      `${file}:3:3: receiver "fake_rx/orphan" feeds no pipeline; add it to a pipeline's receivers or remove it`,
      `${file}:5:3: processor "fake_proc" is used in no pipeline; add it to a pipeline's processors or remove it`,
      `${file}:8:3: exporter "fake_logs_only" is used in no pipeline; add it to a pipeline's exporters or remove it`,
    ]);
  });

  it('prints FILE: valid and returns 0 for a valid file', () => {
    const { out, streams } = capture();
    const file = `${fixtures}valid/full.yaml`;
    const env = { GATEWAY_HOST: 'gw', GATEWAY_PORT: '4317', TENANT: 't', THREADS: '2' };
    expect(runValidate(file, fakeRegistry, streams, env)).toBe(0);
    expect(out).toEqual({ stdout: `${file}: valid\n`, stderr: '' });
  });
});
