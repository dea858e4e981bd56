// Pods and ReplicaSets as the API server returns them (only the fields that matter here, plus some
// that do not, so slimming is exercised).
interface PodSpec {
  name: string;
  namespace: string;
  uid: string;
  node: string;
  ip: string;
  owner?: { kind: string; name: string };
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  serviceAccount?: string;
  hostNetwork?: boolean;
  phase?: string;
}

export function pod(p: PodSpec) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: p.name,
      namespace: p.namespace,
      uid: p.uid,
      labels: p.labels,
      annotations: p.annotations,
      ownerReferences: p.owner
        ? [
            {
              apiVersion: 'apps/v1',
              kind: p.owner.kind,
              name: p.owner.name,
              uid: `uid-${p.owner.name}`,
              controller: true,
            },
          ]
        : undefined,
      managedFields: [{ manager: 'kubelet', operation: 'Update', fieldsType: 'FieldsV1' }],
    },
    spec: {
      nodeName: p.node,
      serviceAccountName: p.serviceAccount ?? 'default',
      hostNetwork: p.hostNetwork,
      containers: [{ name: 'app', image: 'example/app:1' }],
    },
    status: { phase: p.phase ?? 'Running', podIP: p.ip, podIPs: [{ ip: p.ip }] },
  };
}

export function replicaSet(name: string, namespace: string, deployment?: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace,
      ownerReferences: deployment
        ? [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: deployment,
              uid: `uid-${deployment}`,
              controller: true,
            },
          ]
        : undefined,
    },
    spec: { replicas: 1 },
  };
}

/** A small mesh: web (Deployment) on node-a; cart (Deployment), db (StatefulSet), a CronJob's pod and
 * a hostNetwork pod on node-b. */
export function seed(api: { put(c: 'pods' | 'replicasets', o: never): void }): void {
  const put = (c: 'pods' | 'replicasets', o: unknown) => api.put(c, o as never);
  put('replicasets', replicaSet('web-7d4b9c8f6d', 'shop', 'web'));
  put('replicasets', replicaSet('cart-5c9d8f7b4', 'shop', 'cart'));
  put(
    'pods',
    pod({
      name: 'web-7d4b9c8f6d-x2k9p',
      namespace: 'shop',
      uid: 'uid-web',
      node: 'node-a',
      ip: '10.0.0.5',
      owner: { kind: 'ReplicaSet', name: 'web-7d4b9c8f6d' },
      serviceAccount: 'web-sa',
      labels: { app: 'web', version: 'v2', 'pod-template-hash': '7d4b9c8f6d' },
      annotations: { team: 'storefront', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
    }),
  );
  put(
    'pods',
    pod({
      name: 'cart-5c9d8f7b4-q8w7z',
      namespace: 'shop',
      uid: 'uid-cart',
      node: 'node-b',
      ip: '10.0.1.8',
      owner: { kind: 'ReplicaSet', name: 'cart-5c9d8f7b4' },
      labels: { 'pod-template-hash': '5c9d8f7b4' },
    }),
  );
  put(
    'pods',
    pod({
      name: 'db-0',
      namespace: 'data',
      uid: 'uid-db',
      node: 'node-b',
      ip: '10.0.1.7',
      owner: { kind: 'StatefulSet', name: 'db' },
    }),
  );
  put(
    'pods',
    pod({
      name: 'ingest-28915200-7kq2n',
      namespace: 'etl',
      uid: 'uid-ingest',
      node: 'node-b',
      ip: '10.0.1.9',
      owner: { kind: 'Job', name: 'ingest-28915200' },
    }),
  );
  put(
    'pods',
    pod({
      name: 'node-exporter-4xj2m',
      namespace: 'monitoring',
      uid: 'uid-ne',
      node: 'node-b',
      ip: '192.168.0.2',
      owner: { kind: 'DaemonSet', name: 'node-exporter' },
      hostNetwork: true,
    }),
  );
}
