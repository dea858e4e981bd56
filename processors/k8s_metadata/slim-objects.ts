// What the informers keep of a Pod or ReplicaSet: the few fields the snapshot needs, so a
// cluster-wide watch holds a small fraction of the whole object (managedFields and container
// specs are most of it; bench/RESULTS.md). The shapes stay KubernetesObjects
// so ListWatch can cache them.
import type { KubernetesObject } from '@kubernetes/client-node';

export interface OwnerRef {
  kind: string;
  name: string;
}

export interface SlimPod extends KubernetesObject {
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  /** The controller owner (metadata.ownerReferences with controller: true). */
  owner?: OwnerRef;
  spec: { nodeName?: string; serviceAccountName?: string; hostNetwork?: boolean };
  status: { podIPs: string[]; phase?: string };
  /** The pod-template-hash label, kept always: it names the Deployment without a ReplicaSet lookup. */
  templateHash?: string;
}

export interface SlimReplicaSet extends KubernetesObject {
  metadata: { name: string; namespace: string; resourceVersion?: string };
  owner?: OwnerRef;
}

// biome-ignore lint/suspicious/noExplicitAny: raw API objects, from JSON (watch) or the typed client (list)
type Raw = any;

/** A slimmer keeping the given label and annotation keys. */
export function podSlimmer(labels: readonly string[], annotations: readonly string[]): (pod: Raw) => SlimPod {
  return (pod) => {
    const m = pod?.metadata ?? {};
    const ips: string[] = [];
    for (const p of pod?.status?.podIPs ?? []) if (typeof p?.ip === 'string') ips.push(p.ip);
    if (ips.length === 0 && typeof pod?.status?.podIP === 'string') ips.push(pod.status.podIP);
    const slim: SlimPod = {
      metadata: {
        name: m.name ?? '',
        namespace: m.namespace ?? '',
        uid: m.uid ?? '',
        resourceVersion: m.resourceVersion,
        labels: pick(m.labels, labels),
        annotations: pick(m.annotations, annotations),
      },
      owner: controller(m.ownerReferences),
      spec: {
        nodeName: pod?.spec?.nodeName,
        serviceAccountName: pod?.spec?.serviceAccountName,
        hostNetwork: pod?.spec?.hostNetwork === true,
      },
      status: { podIPs: ips, phase: pod?.status?.phase },
    };
    const hash = m.labels?.['pod-template-hash'];
    if (typeof hash === 'string') slim.templateHash = hash;
    return slim;
  };
}

export function slimReplicaSet(rs: Raw): SlimReplicaSet {
  const m = rs?.metadata ?? {};
  return {
    metadata: { name: m.name ?? '', namespace: m.namespace ?? '', resourceVersion: m.resourceVersion },
    owner: controller(m.ownerReferences),
  };
}

function controller(refs: Raw): OwnerRef | undefined {
  if (!Array.isArray(refs)) return undefined;
  const ref = refs.find((r) => r?.controller === true) ?? refs[0];
  return ref && typeof ref.kind === 'string' ? { kind: ref.kind, name: String(ref.name) } : undefined;
}

function pick(from: Raw, keys: readonly string[]): Record<string, string> | undefined {
  if (!from || keys.length === 0) return undefined;
  const out: Record<string, string> = {};
  let any = false;
  for (const k of keys) {
    const v = from[k];
    if (typeof v !== 'string') continue;
    out[k] = v;
    any = true;
  }
  return any ? out : undefined;
}
