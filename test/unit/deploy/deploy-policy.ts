// What "deploy/ is the secure example" means (issue 20, point 10), as checks over rendered manifests:
// each returns the violations it finds, so a test can show both that today's files hold and that the
// files before the change did not.
import { parse } from 'yaml';

// biome-ignore lint/suspicious/noExplicitAny: manifests are free-form YAML
type Obj = Record<string, any>;

export function documents(text: string): Obj[] {
  return text
    .split(/^---\s*$/m)
    .map((d) => parse(d) as Obj | null)
    .filter((d): d is Obj => d !== null && typeof d === 'object' && 'kind' in d);
}

const byKind = (docs: Obj[], kind: string) => docs.filter((d) => d.kind === kind);

export function violations(docs: Obj[]): string[] {
  const out: string[] = [];
  const ds = byKind(docs, 'DaemonSet')[0];
  if (!ds) return ['no DaemonSet'];
  const pod = ds.spec.template.spec;
  const podSc = pod.securityContext ?? {};
  if (podSc.seccompProfile?.type !== 'RuntimeDefault') out.push('seccomp: not RuntimeDefault');
  for (const [init, c] of [
    ...(pod.initContainers ?? []).map((c: Obj) => [true, c] as const),
    ...pod.containers.map((c: Obj) => [false, c] as const),
  ]) {
    const sc = c.securityContext ?? {};
    const uid = sc.runAsUser ?? podSc.runAsUser;
    const nonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
    const added: string[] = sc.capabilities?.add ?? [];
    const root = uid === 0 || (uid === undefined && nonRoot !== true);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push(`${c.name}: capabilities not dropped (ALL)`);
    if (sc.allowPrivilegeEscalation !== false) out.push(`${c.name}: privilege escalation allowed`);
    if (sc.readOnlyRootFilesystem !== true) out.push(`${c.name}: root filesystem writable`);
    if (root && added.some((a) => a !== 'CHOWN')) out.push(`${c.name}: uid 0 with ${added.join(', ')}`);
    if (root && !init) out.push(`${c.name}: runs as uid 0`);
    if (!root && added.length > 0) out.push(`${c.name}: non-root with capabilities ${added.join(', ')}`);
    if (c.name === 'meshtail' && uid !== 65532) out.push(`${c.name}: uid ${uid}, not 65532`);
    if (!/@sha256:[0-9a-f]{64}$/.test(c.image) && c.name !== 'kube-rbac-proxy')
      out.push(`${c.name}: image not pinned by digest (${c.image})`);
    for (const p of c.ports ?? [])
      if (p.containerPort === 8888) out.push(`${c.name}: port 8888 (/metrics) exposed`);
    for (const probe of [c.readinessProbe, c.livenessProbe])
      if (probe?.httpGet) out.push(`${c.name}: probe over the pod network (admin server not on loopback)`);
  }
  for (const t of pod.tolerations ?? [])
    if (t.operator === 'Exists' && !t.key) out.push('tolerations: Exists without a key (every taint)');

  // The pipeline.
  const cm = byKind(docs, 'ConfigMap').find((c) => c.data?.['config.yaml']);
  const config = cm ? (parse(cm.data['config.yaml']) as Obj) : undefined;
  if (!config) return [...out, 'no config.yaml'];
  const address = config.service?.telemetry?.metrics?.address;
  if (address !== null && !/^(127\.0\.0\.1|\[::1\]|localhost):\d+$/.test(address ?? '0.0.0.0:8888'))
    out.push(`/metrics on ${address ?? 'the default address'}, not loopback`);
  for (const [id, e] of Object.entries(config.exporters ?? {}) as [string, Obj][]) {
    if (/^otlp/.test(id) && (e.tls?.insecure === true || !e.tls?.ca_file))
      out.push(`${id}: no TLS to the gateway`);
  }
  for (const [name, p] of Object.entries(config.service?.pipelines ?? {}) as [string, Obj][]) {
    for (const needed of ['rbac', 'redact', 'encrypt'])
      if (!(p.processors ?? []).some((x: string) => x === needed || x.startsWith(`${needed}/`)))
        out.push(`pipeline ${name}: no ${needed}`);
  }
  const k8s = config.processors?.k8s_metadata as Obj | undefined;
  const usesApi = k8s !== undefined;
  if (k8s && (k8s.peers ?? 'cluster') === 'cluster')
    out.push('k8s_metadata: watches every pod of the cluster (peers: cluster)');
  if (k8s && !k8s.node_name) out.push('k8s_metadata: no node_name (field selector spec.nodeName)');

  // RBAC and the token.
  const rbacProxy = pod.containers.some((c: Obj) => c.name === 'kube-rbac-proxy');
  const allowed = new Set<string>();
  if (usesApi) allowed.add('/pods:get,list,watch');
  if (usesApi && k8s?.resolve_replicasets !== false) allowed.add('apps/replicasets:get,list,watch');
  if (rbacProxy) {
    allowed.add('authentication.k8s.io/tokenreviews:create');
    allowed.add('authorization.k8s.io/subjectaccessreviews:create');
  }
  for (const role of byKind(docs, 'ClusterRole')) {
    for (const rule of role.rules ?? []) {
      for (const g of rule.apiGroups ?? [])
        for (const r of rule.resources ?? []) {
          const key = `${g === '' ? '' : g}/${r}:${[...rule.verbs].sort().join(',')}`;
          if (!allowed.has(key)) out.push(`ClusterRole: ${key} is more than the pipeline needs`);
        }
    }
  }
  const sa = byKind(docs, 'ServiceAccount')[0];
  if (sa?.automountServiceAccountToken !== false) out.push('ServiceAccount: token automounted for every pod');
  const mounted = pod.automountServiceAccountToken ?? sa?.automountServiceAccountToken ?? true;
  if (mounted && !usesApi && !rbacProxy) out.push('pod: token mounted with nothing using it');
  const volumes = pod.volumes as Obj[];
  const dataDir = config.service?.data_dir ?? '/var/lib/meshtail';
  const main = pod.containers.find((c: Obj) => c.name === 'meshtail');
  const dataMount = main?.volumeMounts?.find((m: Obj) => m.mountPath === dataDir);
  if (!volumes.find((v) => v.name === dataMount?.name)?.hostPath) out.push('data_dir: not on a hostPath');
  for (const m of main?.volumeMounts ?? [])
    if (m.mountPath.startsWith('/var/log') && m.readOnly !== true)
      out.push(`${m.mountPath}: mounted writable`);
  return out;
}
