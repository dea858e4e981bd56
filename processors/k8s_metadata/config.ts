// The k8s_metadata processor's options: the schema validates them and generates the docs.
import { duration, options, z } from '../../agent/kit/config/schema.ts';

const extract = options({
  labels: z
    .array(z.string().min(1))
    .default([])
    .describe('Pod label keys copied to the resource as `k8s.pod.label.<key>` (own pods on this node).'),
  annotations: z
    .array(z.string().min(1))
    .default([])
    .describe('Pod annotation keys copied to the resource as `k8s.pod.annotation.<key>`.'),
});

export const k8sMetadataConfig = options({
  auth_type: z
    .enum(['serviceAccount', 'kubeConfig', 'none'])
    .default('serviceAccount')
    .describe(
      "How to reach the API server, as in the Collector: serviceAccount uses the pod's token and CA " +
        '(outside a pod there is none and the processor runs on path metadata alone); kubeConfig reads ' +
        '`kubeconfig` or $KUBECONFIG / ~/.kube/config; none sends no credentials (kubectl proxy, tests).',
    ),
  api_server: z
    .string()
    .default('')
    .describe('API server URL overriding the one auth_type finds; required with auth_type none.'),
  kubeconfig: z
    .string()
    .default('')
    .describe('Kubeconfig file for auth_type kubeConfig; empty: $KUBECONFIG, then ~/.kube/config.'),
  node_name: z
    .string()
    .default('')
    .describe(
      'The node whose pods are watched (field selector spec.nodeName); empty: the K8S_NODE_NAME ' +
        'environment variable, set from the downward API in the DaemonSet.',
    ),
  peers: z
    .enum(['cluster', 'node', 'none'])
    .default('cluster')
    .describe(
      'Which pods name a remote peer by IP: cluster watches every pod in a second informer that keeps only ' +
        'IP, owner and namespace (about 0.6 KiB per pod in the agent, 20 bytes per pod in the snapshot); ' +
        'node only the pods on this node (remote peers stay unnamed); none no peers.',
    ),
  resolve_replicasets: z
    .boolean()
    .default(true)
    .describe(
      'Watch ReplicaSets to resolve Deployment owners exactly; false uses the pod-template-hash naming rule.',
    ),
  extract: extract.default({ labels: [], annotations: [] }).describe('Pod labels and annotations to copy.'),
  delete_grace: duration('2m').describe('How long a deleted pod still resolves, for late lines.'),
  publish_interval: duration('1s').describe('The most often a changed snapshot is published to the workers.'),
});

export type K8sMetadataConfig = z.output<typeof k8sMetadataConfig>;
