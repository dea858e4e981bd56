// Writes `lines` lines of the demo's seeded Istio traffic (bookinfo behind a gateway, every hop
// logged by both proxies) as the kubelet stores them: CRI-framed, one file per pod under
// <root>/var/log/pods/<ns>_<pod>_<uid>/istio-proxy/0.log. Event times advance 50 µs per line.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createTraffic, criWrap, type MeshPod } from '../../agent/demo/istio-traffic.ts';

export interface PodLogs {
  /** Glob of every pod's log, for filelog's include. */
  include: string;
  pods: number;
  lines: number;
  /** Lines on stdout: the access log (stderr holds Envoy's operational lines). */
  stdoutLines: number;
  bytes: number;
  /** One pod's file, for latency probes. */
  probeFile: string;
}

const FLUSH_BYTES = 256 * 1024;

/** `maxFiles`: at most this many files; the other pods' lines go to the first pods' files, in turn. */
export function writeIstioPodLogs(
  root: string,
  lines: number,
  seed = 1,
  replicas = 8,
  maxFiles = Number.POSITIVE_INFINITY,
): PodLogs {
  const traffic = createTraffic({ seed, replicas });
  const files = new Map<MeshPod, { fd: number; text: string }>();
  const owners = traffic.pods.slice(0, maxFiles);
  for (const pod of owners) {
    const dir = join(root, 'var/log/pods', `${pod.namespace}_${pod.name}_${pod.uid}`, 'istio-proxy');
    mkdirSync(dir, { recursive: true });
    files.set(pod, { fd: openSync(join(dir, '0.log'), 'w'), text: '' });
  }
  // Lines of the pods without a file of their own go to the owners' files.
  for (const [i, pod] of traffic.pods.entries())
    if (i >= owners.length) files.set(pod, files.get(owners[i % owners.length]!)!);
  let time = 1_795_600_000_000_000_000n;
  let bytes = 0;
  let stdoutLines = 0;
  for (let i = 0; i < lines; i++) {
    time += 50_000n;
    const t = traffic.next(time);
    const f = files.get(t.pod)!;
    if (t.stream === 'stdout') stdoutLines++;
    f.text += `${criWrap(t.line, time, t.stream)}\n`;
    if (f.text.length >= FLUSH_BYTES) bytes += flush(f);
  }
  for (const f of new Set(files.values())) {
    bytes += flush(f);
    closeSync(f.fd);
  }
  const first = traffic.pods[0]!;
  return {
    include: join(root, 'var/log/pods/*/istio-proxy/*.log'),
    pods: owners.length,
    lines,
    stdoutLines,
    bytes,
    probeFile: join(
      root,
      'var/log/pods',
      `${first.namespace}_${first.name}_${first.uid}`,
      'istio-proxy',
      '0.log',
    ),
  };
}

function flush(f: { fd: number; text: string }): number {
  const n = writeSync(f.fd, f.text);
  f.text = '';
  return n;
}
