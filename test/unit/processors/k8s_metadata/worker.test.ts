// The worker part over what the main-thread part published: the record's own pod by UID, the remote
// peer by IP per direction, and nothing overwritten that mesh_parse set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeKubeApi } from './fake-kube-api.ts';
import { batchFrom, type Running, record, run, until } from './harness.ts';
import { seed } from './kube-objects.ts';

let api: FakeKubeApi;
let r: Running;
const web = { uid: 'uid-web', name: 'web-7d4b9c8f6d-x2k9p', namespace: 'shop' };

beforeAll(async () => {
  api = new FakeKubeApi();
  await api.listen();
  seed(api);
  r = run({
    auth_type: 'none',
    api_server: api.url,
    node_name: 'node-a',
    publish_interval: '20ms',
    extract: { labels: ['app'] },
  });
  await r.main.start();
  expect(await until(() => r.snapshot()?.ips['10.0.1.9'] !== undefined)).toBe(true);
});

afterAll(async () => {
  await r?.main.shutdown();
  await api?.close();
});

describe('k8s_metadata worker', () => {
  it("adds the pod's workload, node, service account and labels to the resource", () => {
    const b = batchFrom(web, []);
    r.process(b);
    expect(b.resource).toMatchObject({
      'k8s.pod.uid': 'uid-web',
      'k8s.container.name': 'istio-proxy',
      'k8s.deployment.name': 'web',
      'service.name': 'web',
      'k8s.node.name': 'node-a',
      'k8s.pod.service_account': 'web-sa',
      'k8s.pod.label.app': 'web',
    });
  });

  it('names the source peer of inbound records and the destination peer of outbound ones', () => {
    const b = batchFrom(web, [
      record({ 'mesh.direction': 'inbound', 'source.address': '10.0.1.8' }),
      record({ 'mesh.direction': 'inbound', 'client.address': '10.0.1.9' }),
      record({ 'mesh.direction': 'outbound', 'destination.address': '10.0.1.7' }),
      record({ 'mesh.direction': 'outbound', 'destination.address': '203.0.113.7' }),
      record({ 'source.address': '10.0.1.8' }), // not an access record
    ]);
    r.process(b);
    const [a, c, d, e, f] = b.records.map((x) => x.attributes);
    expect(a).toMatchObject({ 'mesh.source.workload': 'cart', 'mesh.source.namespace': 'shop' });
    expect(a).toMatchObject({ 'mesh.destination.workload': 'web', 'mesh.destination.namespace': 'shop' });
    expect(c).toMatchObject({ 'mesh.source.workload': 'ingest', 'mesh.source.namespace': 'etl' });
    expect(d).toMatchObject({ 'mesh.destination.workload': 'db', 'mesh.destination.namespace': 'data' });
    expect(d).toMatchObject({ 'mesh.source.workload': 'web', 'mesh.source.namespace': 'shop' });
    expect(e!['mesh.destination.workload']).toBeUndefined(); // outside the mesh
    expect(f!['mesh.source.workload']).toBeUndefined();
  });

  it('never overwrites what mesh_parse set, and skips a peer whose namespace contradicts it', () => {
    const b = batchFrom(web, [
      // SPIFFE gave the namespace, the IP gives the workload.
      record({ 'mesh.direction': 'inbound', 'source.address': '10.0.1.8', 'mesh.source.namespace': 'shop' }),
      record({
        'mesh.direction': 'inbound',
        'source.address': '10.0.1.8',
        'mesh.source.workload': 'cart-v2',
      }),
      // The principal says another namespace: the IP was reused or the snapshot is stale.
      record({
        'mesh.direction': 'outbound',
        'destination.address': '10.0.1.7',
        'mesh.destination.namespace': 'prod',
      }),
    ]);
    r.process(b);
    const [a, c, d] = b.records.map((x) => x.attributes);
    expect(a).toMatchObject({ 'mesh.source.workload': 'cart', 'mesh.source.namespace': 'shop' });
    expect(c).toMatchObject({ 'mesh.source.workload': 'cart-v2', 'mesh.source.namespace': 'shop' });
    expect(d!['mesh.destination.namespace']).toBe('prod');
    expect(d!['mesh.destination.workload']).toBeUndefined();
  });

  it('leaves a pod it does not know with its path metadata', () => {
    const other = { uid: 'uid-unknown', name: 'gone-1', namespace: 'shop' };
    const b = batchFrom(other, [record({ 'mesh.direction': 'outbound', 'destination.address': '10.0.1.7' })]);
    r.process(b);
    expect(b.resource).toEqual(batchFrom(other, []).resource);
    expect(b.records[0]!.attributes['mesh.destination.workload']).toBe('db');
  });
});
