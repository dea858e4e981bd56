// The main-thread part against a loopback API server through the real @kubernetes/client-node:
// list + watch, resourceVersion, stream restarts, 410 Gone, delete grace, and what it publishes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeKubeApi } from './fake-kube-api.ts';
import { type Running, run, until } from './harness.ts';
import { pod, seed } from './kube-objects.ts';

let api: FakeKubeApi;
let running: Running | undefined;

beforeEach(async () => {
  api = new FakeKubeApi();
  await api.listen();
  seed(api);
});

afterEach(async () => {
  await running?.main.shutdown();
  running = undefined;
  await api.close();
});

function start(options: Record<string, unknown> = {}): Running {
  running = run({
    auth_type: 'none',
    api_server: api.url,
    node_name: 'node-a',
    publish_interval: '20ms',
    ...options,
  });
  return running;
}

const newPod = pod({
  name: 'late-0',
  namespace: 'shop',
  uid: 'uid-late',
  node: 'node-a',
  ip: '10.0.0.9',
  owner: { kind: 'StatefulSet', name: 'late' },
});

describe('k8s_metadata informers', () => {
  it("lists this node's pods with the field selector and every pod for peers, and publishes them", async () => {
    const r = start({ extract: { labels: ['app', 'version'], annotations: ['team'] } });
    await r.main.start();
    expect(await until(() => r.snapshot()?.ips['10.0.1.9'] !== undefined)).toBe(true);

    const lists = api.requests.filter((q) => !q.watch);
    const nodeList = lists.find((q) => q.collection === 'pods' && q.query.get('fieldSelector'));
    expect(nodeList?.query.get('fieldSelector')).toBe('spec.nodeName=node-a');
    expect(nodeList?.query.get('resourceVersion')).toBe('0'); // served from the watch cache
    expect(lists.some((q) => q.collection === 'pods' && !q.query.get('fieldSelector'))).toBe(true);
    expect(lists.some((q) => q.collection === 'replicasets')).toBe(true);
    expect(await until(() => api.watchCount() === 3)).toBe(true);

    const s = r.snapshot()!;
    expect(Object.keys(s.pods)).toEqual(['uid-web']);
    expect(s.pods['uid-web']).toEqual({
      'k8s.pod.name': 'web-7d4b9c8f6d-x2k9p',
      'k8s.namespace.name': 'shop',
      'k8s.replicaset.name': 'web-7d4b9c8f6d',
      'k8s.deployment.name': 'web',
      'service.name': 'web',
      'k8s.node.name': 'node-a',
      'k8s.pod.service_account': 'web-sa',
      'k8s.pod.label.app': 'web',
      'k8s.pod.label.version': 'v2',
      'k8s.pod.annotation.team': 'storefront',
    });
    const peer = (ip: string) => s.peers[s.ips[ip]!];
    expect(peer('10.0.0.5')).toEqual(['web', 'shop']);
    expect(peer('10.0.1.8')).toEqual(['cart', 'shop']);
    expect(peer('10.0.1.7')).toEqual(['db', 'data']);
    expect(peer('10.0.1.9')).toEqual(['ingest', 'etl']); // Job → CronJob
    expect(s.ips['192.168.0.2']).toBeUndefined(); // hostNetwork: the node's IP names no pod
    expect(await r.apiAvailable()).toBe(1);
    expect(r.logLines.filter((l) => l.level >= 40)).toEqual([]);
  });

  it('follows watch events and keeps a deleted pod for delete_grace', async () => {
    const r = start({ delete_grace: '300ms' });
    await r.main.start();
    expect(await until(() => api.watchCount() === 3)).toBe(true);

    api.put('pods', newPod);
    expect(await until(() => r.snapshot()?.pods['uid-late'] !== undefined)).toBe(true);
    expect(r.snapshot()!.pods['uid-late']!['k8s.statefulset.name']).toBe('late');

    api.put('pods', { ...newPod, metadata: { ...newPod.metadata, labels: { app: 'late' } } });
    api.remove('pods', 'shop', 'late-0');
    const deletedAt = Date.now();
    await new Promise((res) => setTimeout(res, 100));
    expect(r.snapshot()!.pods['uid-late']).toBeDefined(); // still resolves late lines
    expect(await until(() => r.snapshot()?.pods['uid-late'] === undefined)).toBe(true);
    expect(Date.now() - deletedAt).toBeGreaterThanOrEqual(250);
    expect(r.snapshot()!.ips['10.0.0.9']).toBeUndefined();
  });

  it('re-watches from the last resourceVersion when the server closes the stream', async () => {
    const r = start();
    await r.main.start();
    expect(await until(() => api.watchCount() === 3)).toBe(true);
    api.bookmark();
    const seen = api.resourceVersion;
    const listsBefore = api.requests.filter((q) => !q.watch).length;

    api.closeWatches();
    api.put('pods', newPod);
    expect(await until(() => r.snapshot()?.pods['uid-late'] !== undefined)).toBe(true);
    const rewatch = api.requests.filter((q) => q.watch && q.query.get('resourceVersion') === seen);
    expect(rewatch.length).toBeGreaterThanOrEqual(3); // node pods, cluster pods, replicasets
    expect(api.requests.filter((q) => !q.watch).length).toBe(listsBefore); // no relist
  });

  describe.each(['http', 'event'] as const)('410 Gone as %s', (goneAs) => {
    it('relists with a consistent read and catches up on what the watch missed', async () => {
      const r = start({ delete_grace: '50ms' });
      await r.main.start();
      expect(await until(() => api.watchCount() === 3)).toBe(true);
      api.goneAs = goneAs;

      // Changes the agent never sees as events, then the history is compacted.
      api.put('pods', newPod, true);
      api.remove('pods', 'data', 'db-0', true);
      api.expire();
      api.closeWatches();

      expect(await until(() => r.snapshot()?.pods['uid-late'] !== undefined)).toBe(true);
      expect(await until(() => r.snapshot()?.ips['10.0.1.7'] === undefined)).toBe(true);
      const relists = api.requests.filter((q) => !q.watch && q.collection === 'pods').slice(2);
      expect(relists.length).toBeGreaterThanOrEqual(2);
      expect(relists.every((q) => q.query.get('resourceVersion') === null)).toBe(true);
      expect(await until(() => api.watchCount() === 3)).toBe(true);
      expect(await r.apiAvailable()).toBe(1);
    });
  });

  it('resolves Deployments by the pod-template-hash rule when ReplicaSets are not watched', async () => {
    const r = start({ resolve_replicasets: false, peers: 'node' });
    await r.main.start();
    expect(await until(() => r.snapshot()?.pods['uid-web'] !== undefined)).toBe(true);
    expect(r.snapshot()!.pods['uid-web']!['k8s.deployment.name']).toBe('web');
    expect(api.requests.some((q) => q.collection === 'replicasets')).toBe(false);
    // peers: node: one watch, field-selected; only this node's pods by IP.
    expect(api.requests.every((q) => q.query.get('fieldSelector') === 'spec.nodeName=node-a')).toBe(true);
    expect(Object.keys(r.snapshot()!.ips)).toEqual(['10.0.0.5']);
  });

  it('is safe to shut down before start and twice', async () => {
    const r = start();
    await r.main.shutdown();
    await r.main.start();
    await r.main.shutdown();
    await r.main.shutdown();
  });
});
