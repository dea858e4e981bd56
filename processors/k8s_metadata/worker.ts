// Runs in the worker threads: the record's own pod by k8s.pod.uid (once per batch: a batch is one
// file, one pod), and the remote peer by IP (two map lookups per record). It only inserts: what
// mesh_parse derived from SPIFFE principals and cluster names stays, and a peer whose namespace
// contradicts it is not used (a reused IP, or a stale snapshot).
import type { Attributes } from '../../agent/kit/record/record.ts';
import type { ProcessLogs, ProcessorContext } from '../../agent/kit/worker/processor.ts';
import type { K8sMetadataConfig } from './config.ts';
import { type Snapshot, type SnapshotView, viewOf } from './snapshot.ts';

export function createProcessor(_config: K8sMetadataConfig, context: ProcessorContext): ProcessLogs {
  let seen: Snapshot | undefined;
  let view: SnapshotView | undefined;
  return (batch) => {
    const snapshot = context.state?.current() as Snapshot | undefined;
    if (!snapshot) return;
    if (snapshot !== seen) {
      seen = snapshot;
      view = viewOf(snapshot);
    }
    const v = view!;
    const uid = batch.resource['k8s.pod.uid'];
    const own = typeof uid === 'string' ? v.pods.get(uid) : undefined;
    if (own) for (const k in own) batch.resource[k] ??= own[k]!;
    const local = own ? { workload: own['service.name']!, namespace: own['k8s.namespace.name']! } : undefined;
    if (v.ips.size === 0 && !local) return;
    for (const r of batch.records) {
      const a = r.attributes;
      const direction = a['mesh.direction'];
      if (direction === 'inbound') {
        fill(a, 'mesh.source', peerOf(v, a['source.address'] ?? a['client.address']));
        fill(a, 'mesh.destination', local);
      } else if (direction === 'outbound') {
        fill(a, 'mesh.destination', peerOf(v, a['destination.address']));
        fill(a, 'mesh.source', local);
      }
    }
  };
}

function peerOf(v: SnapshotView, address: unknown) {
  return typeof address === 'string' ? v.ips.get(address) : undefined;
}

function fill(a: Attributes, side: string, peer: { workload: string; namespace: string } | undefined): void {
  if (!peer) return;
  const ns = a[`${side}.namespace`];
  if (ns !== undefined && ns !== peer.namespace) return;
  a[`${side}.namespace`] ??= peer.namespace;
  a[`${side}.workload`] ??= peer.workload;
}
