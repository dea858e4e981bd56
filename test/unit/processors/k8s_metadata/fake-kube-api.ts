// A Kubernetes API server on loopback speaking just enough of the list/watch protocol for the real
// @kubernetes/client-node: lists with metadata.resourceVersion, the spec.nodeName field selector,
// newline-delimited watch streams replayed from a resourceVersion, BOOKMARK events, stream closes,
// 410 Gone (as an HTTP status or as an ERROR event) once history is compacted, and denied access.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Obj = {
  metadata: { name: string; namespace: string; resourceVersion?: string; [k: string]: unknown };
  [k: string]: unknown;
};
type Collection = 'pods' | 'replicasets';

const PATHS: Record<string, Collection> = {
  '/api/v1/pods': 'pods',
  '/apis/apps/v1/replicasets': 'replicasets',
};
const LIST_KIND = { pods: ['PodList', 'v1'], replicasets: ['ReplicaSetList', 'apps/v1'] } as const;

interface Event {
  rv: number;
  collection: Collection;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: Obj;
}

interface Watcher {
  collection: Collection;
  node: string | undefined;
  res: ServerResponse;
}

export interface Request {
  collection: Collection | undefined;
  watch: boolean;
  query: URLSearchParams;
}

export class FakeKubeApi {
  readonly requests: Request[] = [];
  /** Answer every request with this status (401/403) instead. */
  deny: number | undefined;
  /** How a watch from a compacted resourceVersion is refused. */
  goneAs: 'http' | 'event' = 'http';
  url = '';
  readonly #items: Record<Collection, Map<string, Obj>> = { pods: new Map(), replicasets: new Map() };
  readonly #history: Event[] = [];
  readonly #watchers = new Set<Watcher>();
  #rv = 100;
  #compacted = 0;
  readonly #server = createServer((req, res) => this.#handle(new URL(req.url ?? '/', 'http://x'), res));

  async listen(): Promise<void> {
    await new Promise<void>((r) => this.#server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.closeWatches();
    this.#server.closeAllConnections();
    await new Promise((r) => this.#server.close(r));
  }

  get resourceVersion(): string {
    return String(this.#rv);
  }

  /** ADDED/MODIFIED as it would be; `silent` changes the state without a watch event (a gap). */
  put(collection: Collection, object: Obj, silent = false): void {
    const key = `${object.metadata.namespace}/${object.metadata.name}`;
    const type = this.#items[collection].has(key) ? 'MODIFIED' : 'ADDED';
    this.#change(collection, key, { ...object, metadata: { ...object.metadata } }, type, silent);
  }

  remove(collection: Collection, namespace: string, name: string, silent = false): void {
    const key = `${namespace}/${name}`;
    const object = this.#items[collection].get(key);
    if (object) this.#change(collection, key, object, 'DELETED', silent);
  }

  /** Sends a BOOKMARK carrying the current resourceVersion to every open watch. */
  bookmark(): void {
    for (const w of this.#watchers)
      this.#send(w.res, 'BOOKMARK', { metadata: { resourceVersion: this.resourceVersion } });
  }

  /** Ends every watch stream, as an API server does on its own timeout or a restart. */
  closeWatches(): void {
    for (const w of this.#watchers) w.res.end();
    this.#watchers.clear();
  }

  /** Compacts history: a watch from any resourceVersion seen so far is answered 410 Gone. */
  expire(): void {
    this.#compacted = ++this.#rv;
    this.#history.length = 0;
  }

  watchCount(): number {
    return this.#watchers.size;
  }

  #change(collection: Collection, key: string, object: Obj, type: Event['type'], silent: boolean): void {
    object.metadata.resourceVersion = String(++this.#rv);
    if (type === 'DELETED') this.#items[collection].delete(key);
    else this.#items[collection].set(key, object);
    if (silent) return;
    const event: Event = { rv: this.#rv, collection, type, object };
    this.#history.push(event);
    for (const w of this.#watchers) if (matches(w, event)) this.#send(w.res, type, object);
  }

  #handle(url: URL, res: ServerResponse): void {
    const collection = PATHS[url.pathname];
    const watch = url.searchParams.get('watch') === 'true';
    this.requests.push({ collection, watch, query: url.searchParams });
    if (this.deny || !collection) {
      status(res, this.deny ?? 404, this.deny ? 'Forbidden' : 'NotFound');
      return;
    }
    const selector = url.searchParams.get('fieldSelector');
    const node = selector?.startsWith('spec.nodeName=') ? selector.slice('spec.nodeName='.length) : undefined;
    if (!watch) {
      const items = [...this.#items[collection].values()].filter((o) => !node || nodeOf(o) === node);
      const [kind, apiVersion] = LIST_KIND[collection];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ kind, apiVersion, metadata: { resourceVersion: this.resourceVersion }, items }),
      );
      return;
    }
    const from = Number(url.searchParams.get('resourceVersion') || this.#rv);
    if (from < this.#compacted && this.goneAs === 'http') {
      status(res, 410, 'Expired');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.flushHeaders();
    if (from < this.#compacted) {
      this.#send(res, 'ERROR', { kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 });
      res.end();
      return;
    }
    const watcher: Watcher = { collection, node, res };
    for (const e of this.#history) if (e.rv > from && matches(watcher, e)) this.#send(res, e.type, e.object);
    this.#watchers.add(watcher);
    res.on('close', () => this.#watchers.delete(watcher));
  }

  #send(res: ServerResponse, type: string, object: unknown): void {
    res.write(`${JSON.stringify({ type, object })}\n`);
  }
}

function matches(w: Watcher, e: Event): boolean {
  return w.collection === e.collection && (!w.node || nodeOf(e.object) === w.node);
}

function nodeOf(o: Obj): unknown {
  return (o.spec as { nodeName?: string } | undefined)?.nodeName;
}

function status(res: ServerResponse, code: number, reason: string): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, code }));
}
