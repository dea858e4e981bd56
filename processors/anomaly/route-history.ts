// What each source has called, as route templates: one template miner per destination (bounded,
// least recently used destinations forgotten) and per source the templates it has used (bounded).
// Probing is judged on the templates a source uses that its own history has not seen.
import { type BucketAggregate, EDGE } from './aggregate.ts';
import { hllEstimate } from './hyperloglog.ts';
import { Lru } from './series.ts';
import { type MinerState, TemplateMiner } from './template-miner.ts';

const TEMPLATES_PER_DESTINATION = 256;
const TEMPLATES_PER_SOURCE = 1024;

export interface RouteHistoryState {
  miners: [string, MinerState][];
  known: [string, string[]][];
}

export class RouteHistory {
  readonly #miners: Lru<TemplateMiner>;
  readonly #known: Lru<Set<string>>;

  constructor(maxKeys: number, state?: RouteHistoryState) {
    this.#miners = new Lru(maxKeys);
    this.#known = new Lru(maxKeys);
    for (const [dst, m] of state?.miners ?? [])
      this.#miners.set(dst, new TemplateMiner('/', TEMPLATES_PER_DESTINATION, m));
    for (const [src, templates] of state?.known ?? []) this.#known.set(src, new Set(templates));
  }

  /** Per source, the templates of this bucket it had never used (learning them). */
  newTemplates(b: BucketAggregate): Map<string, number> {
    const out = new Map<string, number>();
    const overflowed = new Set<string>();
    const kept = new Map<string, number>();
    for (const [edge, set] of b.routes) {
      const i = edge.indexOf(EDGE);
      const src = edge.slice(0, i);
      const dst = edge.slice(i + EDGE.length);
      let miner = this.#miners.get(dst);
      if (!miner) {
        miner = new TemplateMiner('/', TEMPLATES_PER_DESTINATION);
        this.#miners.set(dst, miner);
      }
      let known = this.#known.get(src);
      if (!known) {
        known = new Set();
        this.#known.set(src, known);
      }
      let fresh = out.get(src) ?? 0;
      for (const route of [...set.routes].sort()) {
        const key = `${dst}#${miner.learn(route)}`;
        if (known.has(key)) continue;
        fresh++;
        known.add(key);
        if (known.size > TEMPLATES_PER_SOURCE) known.delete(known.values().next().value as string);
      }
      out.set(src, fresh);
      kept.set(src, (kept.get(src) ?? 0) + set.routes.size);
      if (set.overflowed) overflowed.add(src);
    }
    // More masked paths than an edge keeps: the rest are counted from the source's HyperLogLog.
    for (const src of overflowed) {
      const h = b.paths.get(src);
      const rest = h ? Math.round(hllEstimate(h)) - (kept.get(src) ?? 0) : 0;
      if (rest > 0) out.set(src, (out.get(src) ?? 0) + rest);
    }
    return out;
  }

  state(): RouteHistoryState {
    return {
      miners: [...this.#miners.entries()].map(([dst, m]) => [dst, m.state()]),
      known: [...this.#known.entries()].map(([src, s]) => [src, [...s]]),
    };
  }
}
