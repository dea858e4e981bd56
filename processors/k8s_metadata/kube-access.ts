// How the processor reaches the API server, decided once from the config: a KubeConfig, or the
// reason there is none (then the processor runs on the log path's metadata alone).
import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import type { K8sMetadataConfig } from './config.ts';

export type KubeAccess = { ok: true; kubeConfig: KubeConfig } | { ok: false; reason: string };

const TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export function kubeAccess(config: K8sMetadataConfig, env: NodeJS.ProcessEnv = process.env): KubeAccess {
  const kc = new KubeConfig();
  switch (config.auth_type) {
    case 'none':
      if (!config.api_server) return { ok: false, reason: 'auth_type none needs api_server' };
      // Plain http only without credentials (kubectl proxy on loopback, tests): the client refuses it
      // unless told there is no TLS to verify. With a token (the other auth types) http stays refused.
      kc.loadFromClusterAndUser(
        { name: 'meshtail', server: config.api_server, skipTLSVerify: config.api_server.startsWith('http:') },
        { name: 'meshtail' },
      );
      return { ok: true, kubeConfig: kc };
    case 'serviceAccount':
      if (!env.KUBERNETES_SERVICE_HOST || !existsSync(TOKEN))
        return {
          ok: false,
          reason: 'not running in a pod (no KUBERNETES_SERVICE_HOST or service account token)',
        };
      kc.loadFromCluster();
      break;
    case 'kubeConfig':
      try {
        if (config.kubeconfig) kc.loadFromFile(config.kubeconfig);
        else kc.loadFromDefault();
      } catch (err) {
        return { ok: false, reason: `cannot load the kubeconfig (${(err as Error).message})` };
      }
      break;
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) return { ok: false, reason: 'the kubeconfig names no current cluster' };
  if (config.api_server) {
    const server = config.api_server;
    kc.clusters = kc.clusters.map((c) => (c.name === cluster.name ? { ...c, server } : c));
  }
  return { ok: true, kubeConfig: kc };
}
