// The processor's main-thread part: pod informers (this node's pods by UID, every pod by IP for the
// remote peer), a ReplicaSet informer for Deployment owners, and a publisher that hands the workers
// a compact snapshot at most every publish_interval. Without API access it publishes nothing more
// than an empty snapshot, says so once, and sets meshtail_processor_k8s_api_available to 0.
import type { KubeConfig } from '@kubernetes/client-node';
import type { Component, ComponentSettings } from '../../agent/kit/component.ts';
import type { GaugeHandle } from '../../agent/kit/telemetry.ts';
import type { SharedStateWriter } from '../../agent/kit/worker/shared-state.ts';
import type { K8sMetadataConfig } from './config.ts';
import { MetadataStore, type PodScope } from './metadata-store.ts';
import { apiAvailableGauge } from './metrics.ts';
import type { ResourceWatch, WatchListener } from './resource-watch.ts';
import { podSlimmer, type SlimPod, type SlimReplicaSet, slimReplicaSet } from './slim-objects.ts';

/** How long start() waits for the first lists before the agent goes on with what it has. */
const START_WAIT_MS = 5_000;

export class MetadataMain implements Component {
  readonly #settings: ComponentSettings;
  readonly #config: K8sMetadataConfig;
  readonly #state: SharedStateWriter;
  readonly #store: MetadataStore;
  readonly #gauge: GaugeHandle;
  readonly #labels: Record<string, string>;
  #watches: Array<ResourceWatch<SlimPod> | ResourceWatch<SlimReplicaSet>> = [];
  #timer: NodeJS.Timeout | undefined;
  #available: boolean | undefined;
  #warned = false;

  constructor(settings: ComponentSettings, config: K8sMetadataConfig, state: SharedStateWriter) {
    this.#settings = settings;
    this.#config = config;
    this.#state = state;
    this.#store = new MetadataStore(config.delete_grace, config.peers);
    this.#gauge = apiAvailableGauge(settings.metrics);
    this.#labels = { processor: settings.id };
  }

  async start(): Promise<void> {
    if (this.#timer) return;
    this.#gauge.set(this.#labels, 0);
    this.#timer = setInterval(() => this.#publish(), Math.max(10, this.#config.publish_interval));
    this.#timer.unref();
    const k8s = await import('./kube-client.ts'); // only when this processor runs: see kube-client.ts
    const access = k8s.kubeAccess(this.#config);
    if (!access.ok) this.#unavailable(access.reason);
    else {
      this.#watches = this.#makeWatches(k8s, access.kubeConfig);
      let waited: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((r) => {
        waited = setTimeout(r, START_WAIT_MS);
      });
      await Promise.race([Promise.all(this.#watches.map((w) => w.start())), timeout]);
      clearTimeout(waited);
    }
    this.#publish();
  }

  async shutdown(): Promise<void> {
    clearInterval(this.#timer);
    const watches = this.#watches;
    this.#watches = [];
    await Promise.all(watches.map((w) => w.stop()));
  }

  #makeWatches(
    k8s: typeof import('./kube-client.ts'),
    kc: KubeConfig,
  ): Array<ResourceWatch<SlimPod> | ResourceWatch<SlimReplicaSet>> {
    const { AppsV1Api, CoreV1Api, ResourceWatch } = k8s;
    const { extract, peers, resolve_replicasets } = this.#config;
    const node = this.#config.node_name || process.env.K8S_NODE_NAME || '';
    const core = kc.makeApiClient(CoreV1Api);
    const path = '/api/v1/pods';
    const watches: Array<ResourceWatch<SlimPod> | ResourceWatch<SlimReplicaSet>> = [];
    if (node) {
      const fieldSelector = `spec.nodeName=${node}`;
      const slim = podSlimmer(extract.labels, extract.annotations);
      const list = (resourceVersion?: string) =>
        core.listPodForAllNamespaces({ fieldSelector, resourceVersion });
      watches.push(new ResourceWatch(kc, { path, fieldSelector, list, slim }, this.#pods('node')));
    } else {
      this.#settings.logger.warn(
        'k8s_metadata: no node name (set K8S_NODE_NAME from the downward API, or node_name); ' +
          'own pods get path metadata only',
      );
    }
    if (peers === 'cluster') {
      const list = (resourceVersion?: string) => core.listPodForAllNamespaces({ resourceVersion });
      watches.push(new ResourceWatch(kc, { path, list, slim: podSlimmer([], []) }, this.#pods('cluster')));
    }
    if (resolve_replicasets && watches.length > 0) {
      const apps = kc.makeApiClient(AppsV1Api);
      const store = this.#store;
      const rs = new ResourceWatch<SlimReplicaSet>(
        kc,
        {
          path: '/apis/apps/v1/replicasets',
          list: (resourceVersion) => apps.listReplicaSetForAllNamespaces({ resourceVersion }),
          slim: slimReplicaSet,
        },
        this.#listener(
          (o) => store.upsertReplicaSet(o),
          (o) => store.deleteReplicaSet(o),
        ),
      );
      watches.push(rs);
    }
    return watches;
  }

  #pods(scope: PodScope): WatchListener<SlimPod> {
    const store = this.#store;
    return this.#listener(
      (pod) => store.upsertPod(scope, pod),
      (pod) => store.deletePod(scope, pod, Date.now()),
    );
  }

  #listener<T>(upsert: (o: T) => void, remove: (o: T) => void): WatchListener<T> {
    return {
      upsert,
      remove,
      answered: () => this.#answered(),
      failed: (err, denied) => {
        const e = err as { code?: number; statusCode?: number; message?: string };
        this.#unavailable(
          denied ? `access denied (HTTP ${e.code ?? e.statusCode})` : String(e.message ?? err),
        );
      },
    };
  }

  #answered(): void {
    if (this.#available === true) return;
    if (this.#available === false) this.#settings.logger.info('k8s_metadata: Kubernetes API access restored');
    this.#available = true;
    this.#gauge.set(this.#labels, 1);
  }

  #unavailable(reason: string): void {
    this.#available = false;
    this.#gauge.set(this.#labels, 0);
    const log = this.#settings.logger;
    if (this.#warned) log.debug({ reason }, 'k8s_metadata: Kubernetes API unavailable');
    else log.warn({ reason }, 'k8s_metadata: no Kubernetes API access; running on path metadata alone');
    this.#warned = true;
  }

  #publish(): void {
    this.#store.sweep(Date.now());
    if (this.#store.dirty) this.#state.publish(this.#store.take());
  }
}
