// The workload a pod belongs to, from its controller owner: ReplicaSet → Deployment (by the
// ReplicaSet's own owner when it is watched, else by the pod-template-hash naming rule),
// StatefulSet, DaemonSet, Job → CronJob (by the CronJob controller's naming rule: the job is
// `<cronjob>-<scheduled time in minutes since the epoch>`, which today has 8 digits).
import type { OwnerRef, SlimPod } from './slim-objects.ts';

export interface Workload {
  /** The name used for service.name and mesh.*.workload. */
  name: string;
  /** Resource attributes naming the owners: k8s.deployment.name, k8s.replicaset.name, ... */
  attributes: Record<string, string>;
}

/** The controller owner of a ReplicaSet, or null when it has none; undefined when not known. */
export type ReplicaSetOwner = (namespace: string, name: string) => OwnerRef | null | undefined;

const CRONJOB_JOB = /^(.+)-\d{8,}$/;

export function workloadOf(pod: SlimPod, replicaSetOwner: ReplicaSetOwner): Workload {
  const owner = pod.owner;
  if (!owner) return { name: pod.metadata.name, attributes: {} };
  switch (owner.kind) {
    case 'ReplicaSet': {
      const attributes: Record<string, string> = { 'k8s.replicaset.name': owner.name };
      const known = replicaSetOwner(pod.metadata.namespace, owner.name);
      let deployment: string | undefined;
      if (known && known.kind !== 'Deployment') return { name: known.name, attributes }; // e.g. an Argo Rollout
      if (known) deployment = known.name;
      else if (known === undefined && pod.templateHash && owner.name.endsWith(`-${pod.templateHash}`))
        deployment = owner.name.slice(0, -pod.templateHash.length - 1);
      if (deployment === undefined) return { name: owner.name, attributes };
      attributes['k8s.deployment.name'] = deployment;
      return { name: deployment, attributes };
    }
    case 'StatefulSet':
      return { name: owner.name, attributes: { 'k8s.statefulset.name': owner.name } };
    case 'DaemonSet':
      return { name: owner.name, attributes: { 'k8s.daemonset.name': owner.name } };
    case 'Job': {
      const attributes: Record<string, string> = { 'k8s.job.name': owner.name };
      const cron = CRONJOB_JOB.exec(owner.name);
      if (!cron) return { name: owner.name, attributes };
      attributes['k8s.cronjob.name'] = cron[1]!;
      return { name: cron[1]!, attributes };
    }
    default:
      // A custom controller (Argo Rollout, a Knative revision...): its name is the workload.
      return { name: owner.name, attributes: {} };
  }
}
