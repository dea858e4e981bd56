// The state the main-thread part publishes to the workers (JSON through agent/kit/worker/shared-state.ts),
// and the lookup view a worker builds from it once per published version.

export interface Snapshot {
  /** Resource attributes of the pods on this node, by pod UID (the UID is in the log path). */
  pods: Record<string, Record<string, string>>;
  /** Distinct [workload, namespace] pairs that pod IPs point at, so 10k pods of 50 workloads stay small. */
  peers: [string, string][];
  /** Pod IP → index into `peers`. */
  ips: Record<string, number>;
}

export interface Peer {
  workload: string;
  namespace: string;
}

export interface SnapshotView {
  pods: Map<string, Record<string, string>>;
  ips: Map<string, Peer>;
}

export function emptySnapshot(): Snapshot {
  return { pods: {}, peers: [], ips: {} };
}

export function viewOf(s: Snapshot): SnapshotView {
  const peers = s.peers.map(([workload, namespace]) => ({ workload, namespace }));
  const ips = new Map<string, Peer>();
  for (const [ip, i] of Object.entries(s.ips)) {
    const peer = peers[i];
    if (peer) ips.set(ip, peer);
  }
  return { pods: new Map(Object.entries(s.pods)), ips };
}
