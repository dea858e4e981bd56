// The simulated mesh: Istio's bookinfo sample behind an ingress gateway. Pod names, uids and IPs
// are drawn from the seed so every run with the same seed describes the same cluster.
import type { SeededRandom } from './seeded-random.ts';

export interface MeshPod {
  namespace: string;
  name: string;
  uid: string;
  /** The `app` label: the service it backs. */
  app: string;
  version: string;
  ip: string;
  /** bookinfo's manifests give each app its own (`bookinfo-<app>`): the identity mTLS proves. */
  serviceAccount: string;
}

export interface MeshService {
  name: string;
  namespace: string;
  clusterIp: string;
  port: number;
}

export interface BookinfoMesh {
  pods: MeshPod[];
  gateway: MeshPod;
  services: Record<string, MeshService>;
  /** The pods behind a service. */
  backends(service: string): MeshPod[];
}

// Kubernetes draws generated name suffixes from this alphabet (no vowels, no look-alikes).
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

const WORKLOADS: { app: string; version: string }[] = [
  { app: 'productpage', version: 'v1' },
  { app: 'details', version: 'v1' },
  { app: 'reviews', version: 'v1' },
  { app: 'reviews', version: 'v2' },
  { app: 'reviews', version: 'v3' },
  { app: 'ratings', version: 'v1' },
];

export function bookinfoMesh(random: SeededRandom, replicas = 1): BookinfoMesh {
  const ips = new Set<string>();
  const podIp = (): string => {
    let ip: string;
    do ip = `10.244.${random.int(0, 3)}.${random.int(2, 250)}`;
    while (ips.has(ip));
    ips.add(ip);
    return ip;
  };
  const suffix = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += random.pick([...NAME_ALPHABET]);
    return s;
  };
  const pod = (namespace: string, app: string, version: string): MeshPod => {
    const deployment = version ? `${app}-${version}` : app;
    const name = `${deployment}-${suffix(10)}-${suffix(5)}`;
    const serviceAccount = namespace === 'istio-system' ? `${app}-service-account` : `bookinfo-${app}`;
    return { namespace, name, uid: random.uuid(), app, version, ip: podIp(), serviceAccount };
  };

  const gateway = pod('istio-system', 'istio-ingressgateway', '');
  const pods = [gateway];
  for (const w of WORKLOADS) for (let r = 0; r < replicas; r++) pods.push(pod('default', w.app, w.version));

  const services: Record<string, MeshService> = {};
  for (const app of new Set(WORKLOADS.map((w) => w.app))) {
    const clusterIp = `10.96.${random.int(0, 255)}.${random.int(1, 254)}`;
    services[app] = { name: app, namespace: 'default', clusterIp, port: 9080 };
  }
  return {
    pods,
    gateway,
    services,
    backends: (service) => pods.filter((p) => p.app === service),
  };
}

export function serviceFqdn(s: MeshService): string {
  return `${s.name}.${s.namespace}.svc.cluster.local`;
}

/** The pod's SPIFFE id as Istio issues it (trust domain cluster.local). */
export function spiffeId(p: MeshPod): string {
  return `spiffe://cluster.local/ns/${p.namespace}/sa/${p.serviceAccount}`;
}
