// A pod on this node is watched twice (node and cluster scope) and the two streams deliver its
// events apart: the first delete starts the grace for both, and an update one stream delivers after
// the other's delete does not restart it, so the pod and its IP are forgotten at the same sweep.
import { expect, it } from 'vitest';
import { MetadataStore } from '../../../../processors/k8s_metadata/metadata-store.ts';
import { podSlimmer } from '../../../../processors/k8s_metadata/slim-objects.ts';
import { pod } from './kube-objects.ts';

const slim = podSlimmer([], []);
const late = (labels?: Record<string, string>) =>
  slim(pod({ name: 'late-0', namespace: 'shop', uid: 'uid-late', node: 'node-a', ip: '10.0.0.9', labels }));

it('keeps the grace the first delete started when the other stream still delivers an update', () => {
  const store = new MetadataStore(300, 'cluster');
  store.upsertPod('node', late());
  store.upsertPod('cluster', late());
  store.upsertPod('node', late({ app: 'late' }));
  store.deletePod('node', late({ app: 'late' }), 1000); // the node stream is ahead
  store.upsertPod('cluster', late({ app: 'late' })); // the cluster stream's update, after it
  store.deletePod('cluster', late({ app: 'late' }), 1200);

  store.sweep(1250);
  let s = store.take();
  expect(s.pods['uid-late']).toBeDefined(); // within the grace: late lines still resolve
  expect(s.ips['10.0.0.9']).toBeDefined();

  store.sweep(1300); // 300 ms after the first delete
  s = store.take();
  expect(s.pods['uid-late']).toBeUndefined();
  expect(s.ips['10.0.0.9']).toBeUndefined();
});

it('a pod updated but never deleted stays', () => {
  const store = new MetadataStore(300, 'cluster');
  store.upsertPod('node', late());
  store.upsertPod('cluster', late({ app: 'late' }));
  store.sweep(10_000);
  const s = store.take();
  expect(s.pods['uid-late']).toBeDefined();
  expect(s.ips['10.0.0.9']).toBeDefined();
});
