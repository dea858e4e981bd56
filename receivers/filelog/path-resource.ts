// Resource attributes from the kubelet's log path:
// /var/log/pods/<namespace>_<pod>_<uid>/<container>/<restart>.log
import type { Attributes } from '../../agent/kit/record/record.ts';

const POD_LOG = /\/pods\/([^/_]+)_([^/_]+)_([^/_]+)\/([^/]+)\/(\d+)\.log(?:\.[^/]*)?$/;

export function resourceFromPath(path: string): Attributes {
  const m = POD_LOG.exec(path);
  if (!m) return {};
  return {
    'k8s.namespace.name': m[1]!,
    'k8s.pod.name': m[2]!,
    'k8s.pod.uid': m[3]!,
    'k8s.container.name': m[4]!,
    'k8s.container.restart_count': Number(m[5]),
  };
}
