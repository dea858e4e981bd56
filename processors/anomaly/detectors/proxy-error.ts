// The proxies' own exceptions: operational lines at WARN and above, masked and mined into templates
// per workload. A template the workload never logged (after its learning period) fires at once; a
// storm of a known one fires like any rare count (rareSpike against its own zero-prior history).
import { PROXY_KEY, type ProxySignal } from '../aggregate.ts';
import type { Observation } from '../observation.ts';
import { type Detector, learnUnlessActive, rareSpike, scoreAll } from './detector.ts';

export const proxyErrorDetector: Detector = (b, ctx) => {
  const c = ctx.config;
  const counts = new Map<string, number>();
  const fresh = new Set<string>();
  const evidence = new Map<string, { template: string; pods: string[]; sample: string }>();
  for (const [k, p] of b.proxy as Map<string, ProxySignal>) {
    const i = k.indexOf(PROXY_KEY);
    const workload = k.slice(0, i);
    const sig = ctx.proxy.see(workload, k.slice(i + PROXY_KEY.length), b.start);
    const key = `${workload}#${sig.id}`;
    counts.set(key, (counts.get(key) ?? 0) + p.count);
    if (!sig.known && b.start - sig.since >= c.learning_period) fresh.add(key);
    const e = evidence.get(key);
    if (!e) evidence.set(key, { template: sig.text, pods: [...p.pods], sample: p.sample[1] });
    else for (const pod of p.pods) if (!e.pods.includes(pod) && e.pods.length < 3) e.pods.push(pod);
  }
  const out: Observation[] = [];
  for (const s of scoreAll(ctx, 'proxy_signature', counts, b.start, true, true)) {
    const isNew = fresh.has(s.key);
    const storm = rareSpike(ctx, s, c.floors.proxy_errors, c.threshold);
    const e = evidence.get(s.key);
    out.push({
      kind: 'proxy_error',
      scope: 'workload',
      key: s.key,
      active: isNew || storm,
      observed: s.x,
      baseline: s.base.expected,
      score: isNew ? Math.max(s.score, s.x) : s.score,
      ...(isNew ? { immediate: true } : {}),
      ...(e ? { evidence: e } : {}),
    });
    learnUnlessActive(ctx, s, storm, b.start);
  }
  return out;
};
