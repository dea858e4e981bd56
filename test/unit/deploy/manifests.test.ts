// deploy/kubernetes/ as a cluster would take it: RBAC that grants exactly get/list/watch on pods,
// the node name from the downward API, probes on the loopback admin endpoints, and a ConfigMap whose
// pipeline meshtail's own loader accepts (with its policy and secrets where the pod mounts them).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadConfigText } from '../../../agent/config/load-config.ts';
import { defaultRegistry } from '../../../agent/default-registry.ts';
import type { AnyFactory } from '../../../agent/kit/component.ts';
import { Registry } from '../../../agent/registry.ts';
import { k8sMetadataFactory } from '../../../processors/k8s_metadata/factory.ts';
import { meshParseFactory } from '../../../processors/mesh_parse/factory.ts';

const DIR = 'deploy/kubernetes';
// biome-ignore lint/suspicious/noExplicitAny: manifests are untyped YAML
type Manifest = any;

const manifests: Manifest[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
  .flatMap((f) => parseAllDocuments(readFileSync(join(DIR, f), 'utf8')).map((d) => d.toJS()));
const byKind = (kind: string) => manifests.filter((m) => m.kind === kind);
const one = (kind: string) => {
  expect(byKind(kind), kind).toHaveLength(1);
  return byKind(kind)[0];
};

describe('deploy/kubernetes', () => {
  it('lists every manifest in kustomization.yaml', () => {
    const k = parseAllDocuments(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8'))[0]!.toJS();
    const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...k.resources].sort()).toEqual(files.sort());
  });

  it('grants get/list/watch on pods, and nothing more', () => {
    const grants = one('ClusterRole').rules.flatMap((r: Manifest) =>
      r.apiGroups.flatMap((g: string) =>
        r.resources.flatMap((res: string) => r.verbs.map((v: string) => `${g || 'core'}/${res}:${v}`)),
      ),
    );
    const want = ['core/pods'].flatMap((r) => ['get', 'list', 'watch'].map((v) => `${r}:${v}`));
    expect(grants.sort()).toEqual(want.sort());
    for (const r of one('ClusterRole').rules) expect(r.resourceNames ?? r.nonResourceURLs).toBeUndefined();
  });

  it("binds the role to the DaemonSet's service account", () => {
    const sa = one('ServiceAccount');
    const binding = one('ClusterRoleBinding');
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: one('ClusterRole').metadata.name,
    });
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace },
    ]);
    expect(one('DaemonSet').spec.template.spec.serviceAccountName).toBe(sa.metadata.name);
  });

  it('runs read-only with the node name from the downward API, probes and a CPU limit', () => {
    const pod = one('DaemonSet').spec.template.spec;
    const c = pod.containers[0];
    const env = c.env.find((e: Manifest) => e.name === 'K8S_NODE_NAME');
    expect(env.valueFrom.fieldRef.fieldPath).toBe('spec.nodeName');
    // The admin server listens on loopback: the probes ask it from inside the pod.
    for (const [probe, path] of [
      [c.livenessProbe, '/healthz'],
      [c.readinessProbe, '/readyz'],
    ]) {
      expect(probe.exec.command.join(' ')).toContain(`http://127.0.0.1:8888${path}`);
    }
    expect(c.resources.limits.cpu).toBeDefined();
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(c.securityContext.allowPrivilegeEscalation).toBe(false);

    const volume = (mountPath: string) => {
      const m = c.volumeMounts.find((v: Manifest) => v.mountPath === mountPath);
      return { mount: m, source: pod.volumes.find((v: Manifest) => v.name === m?.name) };
    };
    for (const path of ['/var/log/pods']) {
      const { mount, source } = volume(path);
      expect(mount.readOnly, path).toBe(true);
      expect(source.hostPath.path).toBe(path);
    }
    const data = volume('/var/lib/meshtail');
    expect(data.source.hostPath.path).toBe('/var/lib/meshtail');
    expect(data.mount.readOnly).toBeFalsy();
  });

  it("has a ConfigMap pipeline that meshtail's loader accepts", () => {
    const text = one('ConfigMap').data['config.yaml'];
    const pod = one('DaemonSet').spec.template.spec;
    expect(pod.volumes.find((v: Manifest) => v.configMap)?.configMap.name).toBe(
      one('ConfigMap').metadata.name,
    );
    expect(pod.containers[0].args).toEqual(['run', '-c', '/etc/meshtail/config.yaml']);

    // What the pod mounts under /etc/meshtail, in a temporary directory: the ConfigMap's policy and
    // a redact key standing in for the Secret.
    const etc = mkdtempSync(join(tmpdir(), 'meshtail-deploy-'));
    try {
      writeFileSync(join(etc, 'policy.yaml'), one('ConfigMap').data['policy.yaml']);
      mkdirSync(join(etc, 'secrets'));
      writeFileSync(join(etc, 'secrets/redact-hash-key'), 'a-test-key-of-32-characters-long');
      const result = loadConfigText(
        text.replaceAll('/etc/meshtail/', `${etc}/`),
        'deploy/kubernetes/configmap.yaml',
        registry(),
        {
          env: { K8S_NODE_NAME: 'node-a', OTLP_ENDPOINT: 'otel-gateway:4317' },
        },
      );
      expect(result.ok ? [] : result.errors).toEqual([]);
      if (!result.ok) return;
      expect(result.config.service.data_dir).toBe('/var/lib/meshtail');
      expect(result.config.service.telemetry.metrics.address).toBe('127.0.0.1:8888');
      expect(result.config.processors.get('k8s_metadata')?.config).toMatchObject({
        node_name: 'node-a',
        peers: 'node',
      });
    } finally {
      rmSync(etc, { recursive: true, force: true });
    }
  });
});

/**
 * The default registry, plus mesh_parse and k8s_metadata until agent/components.ts registers them
 * (issue 4 builds both; the lead registers them). Once registered, this is defaultRegistry itself.
 */
function registry(): Registry {
  const missing: AnyFactory[] = [meshParseFactory, k8sMetadataFactory].filter(
    (f) => !defaultRegistry.processor(f.type),
  );
  return missing.length === 0 ? defaultRegistry : new Registry([...defaultRegistry.all(), ...missing]);
}
