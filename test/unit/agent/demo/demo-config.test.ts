// The demo's embedded pipeline loads through the real loader and parses the sidecars' audit format
// with mesh_parse before anything else touches the records.
import { describe, expect, it } from 'vitest';
import { ISTIO_AUDIT_FORMAT } from '../../../../agent/demo/access-log-line.ts';
import { DEMO_HASH_KEY, demoPaths, loadDemoConfig } from '../../../../agent/demo/demo-config.ts';

describe('demo config', () => {
  it('runs mesh_parse with the declared audit format and user source, then attributes', () => {
    const config = loadDemoConfig(demoPaths('/tmp/x', '/tmp/x/var/log/pods/*/istio-proxy/0.log'), {});
    expect(config.service.pipelines.logs?.processors).toEqual([
      'mesh_parse',
      'rbac',
      'redact',
      'anomaly',
      'attributes/demo',
    ]);
    const meshParse = config.processors.get('mesh_parse')!.config as {
      formats: { name: string; format: string }[];
      user_id: { from: unknown[] };
    };
    expect(meshParse.formats).toEqual([{ name: 'istio_audit', format: ISTIO_AUDIT_FORMAT }]);
    expect(meshParse.user_id.from).toEqual([{ jwt_claims_header: 'x-jwt-payload', claim: 'sub' }]);
    expect(config.processors.has('k8s_metadata')).toBe(false);
    // A fixed demo key: the same client IP has the same pseudonym on every run.
    const redact = config.processors.get('redact')!.config as { hash_key?: string; hash_key_id: string };
    expect(redact.hash_key).toBe(DEMO_HASH_KEY);
    expect(redact.hash_key_id).toBe('demo');
  });
});
