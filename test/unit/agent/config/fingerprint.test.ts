// A reload keeps a component whose fingerprint is unchanged: the same options in any key order
// keep it; a changed option or a changed TLS file (same path, new content) rebuilds it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../../agent/config/fingerprint.ts';
import type { ComponentConfig } from '../../../../agent/config/types.ts';

const exporter = (config: unknown): ComponentConfig => ({
  id: 'otlp',
  type: 'otlp_grpc',
  kind: 'exporter',
  config,
});

describe('fingerprint', () => {
  it('ignores key order and sees a changed option or type', () => {
    const a = fingerprint(exporter({ endpoint: 'a:1', tls: { insecure: true, ca_file: undefined } }));
    expect(fingerprint(exporter({ tls: { ca_file: undefined, insecure: true }, endpoint: 'a:1' }))).toBe(a);
    expect(fingerprint(exporter({ endpoint: 'a:2', tls: { insecure: true } }))).not.toBe(a);
    expect(
      fingerprint({ ...exporter({ endpoint: 'a:1', tls: { insecure: true } }), type: 'otlp_http' }),
    ).not.toBe(a);
  });

  it('sees a TLS file whose content changed under the same path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshtail-fp-'));
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, 'first');
    const c = exporter({ endpoint: 'a:1', tls: { ca_file: ca } });
    const before = fingerprint(c);
    expect(fingerprint(c)).toBe(before);
    writeFileSync(ca, 'second');
    expect(fingerprint(c)).not.toBe(before);
  });
});
