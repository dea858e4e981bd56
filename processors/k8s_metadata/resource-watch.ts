// One list/watch of a resource through @kubernetes/client-node's ListWatch: objects are slimmed as
// they arrive (list and watch), a 410 Gone makes the next list a consistent one, and every failure
// the informer does not retry by itself (anything but 410 and its own timeout) is retried here with
// backoff, resuming the watch from the last resourceVersion.
import {
  ADD,
  DELETE,
  ERROR,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  ListWatch,
  UPDATE,
  Watch,
} from '@kubernetes/client-node';

// biome-ignore lint/suspicious/noExplicitAny: raw API objects
type Raw = any;

export interface ResourceSpec<T extends KubernetesObject> {
  /** The collection path, e.g. /api/v1/pods. */
  path: string;
  fieldSelector?: string;
  /** One list call; resourceVersion "0" lets the API server answer from its watch cache. */
  list(resourceVersion: string | undefined): Promise<KubernetesListObject<Raw>>;
  slim(raw: Raw): T;
}

export interface WatchListener<T> {
  upsert(object: T): void;
  remove(object: T): void;
  /** A list succeeded or a watch was accepted: the API answers. */
  answered(): void;
  /** A list or watch failed (denied: 401/403); it is retried. */
  failed(err: unknown, denied: boolean): void;
}

const RETRY_MS = { min: 1_000, max: 30_000 };
const DENIED_RETRY_MS = { min: 60_000, max: 300_000 };

export class ResourceWatch<T extends KubernetesObject> {
  readonly #informer: ListWatch<T>;
  readonly #listener: WatchListener<T>;
  #stopped = true;
  #failures = 0;
  #retry: NodeJS.Timeout | undefined;

  constructor(kubeConfig: KubeConfig, spec: ResourceSpec<T>, listener: WatchListener<T>) {
    this.#listener = listener;
    let expired = false;
    const watch = new SlimWatch(kubeConfig, spec.slim, {
      expired: () => {
        expired = true;
      },
      accepted: () => listener.answered(),
      // ListWatch does not look again after a list that outlived stop(): no watch after shutdown.
      stopped: () => this.#stopped,
    });
    const list = async (): Promise<KubernetesListObject<T>> => {
      // After a 410 the watch cache may be older than what we saw: ask for a consistent list.
      const result = await spec.list(expired ? undefined : '0');
      expired = false;
      this.#failures = 0;
      listener.answered();
      return { metadata: result.metadata, items: result.items.map((o) => spec.slim(o)) };
    };
    this.#informer = new ListWatch(spec.path, watch, list, false, undefined, spec.fieldSelector);
    this.#informer.on(ADD, (o) => listener.upsert(o));
    this.#informer.on(UPDATE, (o) => listener.upsert(o));
    this.#informer.on(DELETE, (o) => listener.remove(o));
    this.#informer.on(ERROR, (err) => this.#failed(err));
  }

  /** Resolves after the first list and watch were attempted. */
  async start(): Promise<void> {
    this.#stopped = false;
    await this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retry);
    await this.#informer.stop();
  }

  async #run(): Promise<void> {
    try {
      await this.#informer.start();
    } catch (err) {
      this.#failed(err);
    }
  }

  #failed(err: Raw): void {
    if (this.#stopped) return; // our own abort
    const status = err?.code ?? err?.statusCode;
    const denied = status === 401 || status === 403;
    this.#listener.failed(err, denied);
    const { min, max } = denied ? DENIED_RETRY_MS : RETRY_MS;
    const delay = Math.min(max, min * 2 ** Math.min(this.#failures++, 10));
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => void this.#run(), delay);
    this.#retry.unref();
  }
}

interface WatchHooks {
  /** 410 Gone, as an HTTP status or an ERROR event: the next list must be a fresh one. */
  expired(): void;
  /** The API server accepted a watch request. */
  accepted(): void;
  stopped(): boolean;
}

/** The client's Watch, slimming objects before the informer caches them and noticing 410 Gone. */
class SlimWatch<T> extends Watch {
  readonly #slim: (raw: Raw) => T;
  readonly #hooks: WatchHooks;

  constructor(kubeConfig: KubeConfig, slim: (raw: Raw) => T, hooks: WatchHooks) {
    super(kubeConfig);
    this.#slim = slim;
    this.#hooks = hooks;
  }

  override async watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, object: Raw, event?: Raw) => void,
    done: (err: Raw) => void,
  ): Promise<AbortController> {
    const onEvent = (phase: string, object: Raw, event?: Raw) => {
      if (phase === 'ERROR' && object?.code === 410) this.#hooks.expired();
      const keep = phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED';
      callback(phase, keep ? this.#slim(object) : object, event);
    };
    if (this.#hooks.stopped()) return new AbortController();
    let failed = false;
    const onDone = (err: Raw) => {
      if (err) failed = true;
      if (err?.statusCode === 410) this.#hooks.expired();
      done(err);
    };
    // The client settles done() with the error before resolving when the request is refused.
    const controller = await super.watch(path, query, onEvent, onDone);
    if (!failed) this.#hooks.accepted();
    return controller;
  }
}
