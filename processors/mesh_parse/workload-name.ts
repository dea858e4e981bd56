// The workload a pod belongs to, from its name alone (k8s_metadata does it properly from owner
// references): Deployment pods are `<name>-<pod-template-hash>-<5>`, DaemonSet and Job pods
// `<name>-<5>`, StatefulSet pods `<name>-<ordinal>`. Generated suffixes use Kubernetes' alphabet
// without vowels (k8s.io/apimachinery/pkg/util/rand: "bcdfghjklmnpqrstvwxz2456789").

const SUFFIX = /^[bcdfghjklmnpqrstvwxz2456789]{5}$/;
const TEMPLATE_HASH = /^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/;

export function workloadOfPod(pod: string): string {
  const parts = pod.split('-');
  if (parts.length < 2) return pod;
  const last = parts[parts.length - 1]!;
  if (SUFFIX.test(last)) {
    parts.pop();
    if (parts.length > 1 && TEMPLATE_HASH.test(parts[parts.length - 1]!)) parts.pop();
    return parts.join('-');
  }
  if (/^\d+$/.test(last)) parts.pop();
  return parts.join('-');
}
