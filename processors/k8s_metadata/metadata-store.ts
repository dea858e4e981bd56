// The main thread's view of the cluster: the pods on this node (by UID), the pods that can be a
// remote peer (by IP), the ReplicaSets' owners, and pods deleted less than `delete_grace` ago so late
// lines still resolve. Informer callbacks mark it dirty; the publisher takes a snapshot when dirty.
import { type ReplicaSetOwner, workloadOf } from './owner-workload.ts';
import type { OwnerRef, SlimPod, SlimReplicaSet } from './slim-objects.ts';
import type { Snapshot } from './snapshot.ts';

export type PodScope = 'node' | 'cluster';

interface Entry {
  pod: SlimPod;
  deletedAt?: number;
}

const TERMINAL = new Set(['Succeeded', 'Failed']);

export class MetadataStore {
  readonly #pods: Record<PodScope, Map<string, Entry>> = { node: new Map(), cluster: new Map() };
  readonly #replicaSets = new Map<string, OwnerRef | null>();
  readonly #graceMs: number;
  readonly #peerScopes: PodScope[];
  #dirty = true;

  /** peers: which pods name a remote peer by IP (config `peers`). */
  constructor(graceMs: number, peers: 'cluster' | 'node' | 'none') {
    this.#graceMs = graceMs;
    this.#peerScopes = peers === 'cluster' ? ['node', 'cluster'] : peers === 'node' ? ['node'] : [];
  }

  get dirty(): boolean {
    return this.#dirty;
  }

  upsertPod(scope: PodScope, pod: SlimPod): void {
    const uid = pod.metadata.uid;
    if (!uid) return;
    // A uid never comes back once deleted: an update that one watch delivers after the other
    // watch's delete keeps the grace that delete started (else the IP outlived the pod).
    let deletedAt: number | undefined;
    for (const pods of Object.values(this.#pods)) deletedAt ??= pods.get(uid)?.deletedAt;
    this.#pods[scope].set(uid, deletedAt === undefined ? { pod } : { pod, deletedAt });
    this.#dirty = true;
  }

  /** Keeps the pod for the grace period: a proxy flushes its last lines after the pod is gone. */
  // A pod on this node is watched twice (node and cluster scope) and its two delete events arrive
  // apart; the first one starts the grace for both, so the pod and its IP are forgotten together.
  deletePod(_scope: PodScope, pod: SlimPod, now: number): void {
    for (const pods of Object.values(this.#pods)) {
      const entry = pods.get(pod.metadata.uid);
      if (!entry || entry.deletedAt !== undefined) continue;
      entry.deletedAt = now;
      this.#dirty = true;
    }
  }

  upsertReplicaSet(rs: SlimReplicaSet): void {
    const owner = rs.owner ?? null;
    this.#replicaSets.set(`${rs.metadata.namespace}/${rs.metadata.name}`, owner);
    this.#dirty = true;
  }

  deleteReplicaSet(rs: SlimReplicaSet): void {
    // The pod-template-hash rule names the same Deployment for its pods' remaining grace.
    if (this.#replicaSets.delete(`${rs.metadata.namespace}/${rs.metadata.name}`)) this.#dirty = true;
  }

  /** Forgets pods deleted more than the grace period ago. */
  sweep(now: number): void {
    for (const pods of Object.values(this.#pods)) {
      for (const [uid, e] of pods) {
        if (e.deletedAt !== undefined && now - e.deletedAt >= this.#graceMs) {
          pods.delete(uid);
          this.#dirty = true;
        }
      }
    }
  }

  /** Builds the snapshot for the workers and clears the dirty mark. */
  take(): Snapshot {
    this.#dirty = false;
    const owner: ReplicaSetOwner = (ns, name) => this.#replicaSets.get(`${ns}/${name}`);
    const snapshot: Snapshot = { pods: {}, peers: [], ips: {} };
    for (const [uid, { pod }] of this.#pods.node) snapshot.pods[uid] = resourceOf(pod, owner);

    const peerIndex = new Map<string, number>();
    const rankOf = new Map<string, number>();
    for (const scope of this.#peerScopes) {
      for (const e of this.#pods[scope].values()) {
        const { pod } = e;
        if (pod.spec.hostNetwork || pod.status.podIPs.length === 0) continue; // the node's IP names no pod
        // An IP is reused once its pod is gone: a live pod beats a finished one, which beats a deleted one.
        const rank = e.deletedAt !== undefined ? 0 : TERMINAL.has(pod.status.phase ?? '') ? 1 : 2;
        const workload = workloadOf(pod, owner).name;
        const key = `${pod.metadata.namespace}/${workload}`;
        let index = peerIndex.get(key);
        for (const ip of pod.status.podIPs) {
          if ((rankOf.get(ip) ?? -1) > rank) continue;
          if (index === undefined) {
            index = snapshot.peers.push([workload, pod.metadata.namespace]) - 1;
            peerIndex.set(key, index);
          }
          rankOf.set(ip, rank);
          snapshot.ips[ip] = index;
        }
      }
    }
    return snapshot;
  }
}

function resourceOf(pod: SlimPod, owner: ReplicaSetOwner): Record<string, string> {
  const workload = workloadOf(pod, owner);
  const r: Record<string, string> = {
    'k8s.pod.name': pod.metadata.name,
    'k8s.namespace.name': pod.metadata.namespace,
    ...workload.attributes,
    'service.name': workload.name,
  };
  if (pod.spec.nodeName) r['k8s.node.name'] = pod.spec.nodeName;
  if (pod.spec.serviceAccountName) r['k8s.pod.service_account'] = pod.spec.serviceAccountName;
  for (const [k, v] of Object.entries(pod.metadata.labels ?? {})) r[`k8s.pod.label.${k}`] = v;
  for (const [k, v] of Object.entries(pod.metadata.annotations ?? {})) r[`k8s.pod.annotation.${k}`] = v;
  return r;
}
