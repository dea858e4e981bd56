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
  bytes: number;
  /** One pod's file, for latency probes. */
  probeFile: string;
}

const FLUSH_BYTES = 256 * 1024;

export function writeIstioPodLogs(root: string, lines: number, seed = 1, replicas = 8): PodLogs {
  const traffic = createTraffic({ seed, replicas });
  const files = new Map<MeshPod, { fd: number; text: string }>();
  for (const pod of traffic.pods) {
    const dir = join(root, 'var/log/pods', `${pod.namespace}_${pod.name}_${pod.uid}`, 'istio-proxy');
    mkdirSync(dir, { recursive: true });
    files.set(pod, { fd: openSync(join(dir, '0.log'), 'w'), text: '' });
  }
  let time = 1_795_600_000_000_000_000n;
  let bytes = 0;
  for (let i = 0; i < lines; i++) {
    time += 50_000n;
    const t = traffic.next(time);
    const f = files.get(t.pod)!;
    f.text += `${criWrap(t.line, time, t.stream)}\n`;
    if (f.text.length >= FLUSH_BYTES) bytes += flush(f);
  }
  for (const f of files.values()) {
    bytes += flush(f);
    closeSync(f.fd);
  }
  const first = traffic.pods[0]!;
  return {
    include: join(root, 'var/log/pods/*/istio-proxy/*.log'),
    pods: files.size,
    lines,
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
