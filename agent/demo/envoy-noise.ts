// What else an istio-proxy container prints besides access logs: Envoy's operational lines (on
// stderr, tab-separated) and, rarely, a line cut short. A pipeline must carry both, never drop them.
import { rfc3339Micro } from './cri-line.ts';
import type { SeededRandom } from './seeded-random.ts';

const OPERATIONAL: ((r: SeededRandom) => string)[] = [
  (r) =>
    `info\tenvoy upstream\texternal/envoy/source/common/upstream/cds_api_helper.cc:32\t` +
    `cds: add ${r.int(20, 40)} cluster(s), remove ${r.int(0, 3)} cluster(s)\tthread=${r.int(12, 20)}`,
  (r) =>
    `info\tenvoy upstream\texternal/envoy/source/common/upstream/cds_api_helper.cc:71\t` +
    `cds: added/updated ${r.int(1, 4)} cluster(s), skipped ${r.int(20, 40)} unmodified cluster(s)\tthread=${r.int(12, 20)}`,
  (r) =>
    `warning\tenvoy config\texternal/envoy/source/extensions/config_subscription/grpc/grpc_stream.h:193\t` +
    `StreamAggregatedResources gRPC config stream to xds-grpc closed since ${r.int(1000, 1900)}s ago: 14, ` +
    `connection error: desc = "transport: Error while dialing: dial tcp 10.96.0.17:15012: i/o timeout"\tthread=${r.int(12, 20)}`,
  (r) =>
    `info\tenvoy main\texternal/envoy/source/server/drain_manager_impl.cc:208\t` +
    `shutting down parent after drain\tthread=${r.int(12, 20)}`,
];

export function envoyOperationalLine(random: SeededRandom, timeNs: bigint): string {
  return `${rfc3339Micro(timeNs)}\t${random.pick(OPERATIONAL)(random)}`;
}

/** A valid access-log line cut at a random point, as a crashed writer leaves it. */
export function truncatedLine(random: SeededRandom, line: string): string {
  return line.slice(0, random.int(10, Math.max(11, line.length - 20)));
}
