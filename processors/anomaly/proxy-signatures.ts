// The proxies' own exception signatures: per workload a template miner over masked messages
// (bounded), the templates it has logged, and when it was first seen (its learning period).

import { Lru } from './series.ts';
import { type MinerState, TemplateMiner } from './template-miner.ts';

const TEMPLATES_PER_WORKLOAD = 256;

interface Workload {
  firstSeen: number;
  miner: TemplateMiner;
  known: Set<number>;
}

export interface ProxySignaturesState {
  workloads: [string, { firstSeen: number; miner: MinerState; known: number[] }][];
}

export class ProxySignatures {
  readonly #workloads: Lru<Workload>;

  constructor(maxKeys: number, state?: ProxySignaturesState) {
    this.#workloads = new Lru(maxKeys);
    for (const [name, w] of state?.workloads ?? [])
      this.#workloads.set(name, {
        firstSeen: w.firstSeen,
        miner: new TemplateMiner(' ', TEMPLATES_PER_WORKLOAD, w.miner),
        known: new Set(w.known),
      });
  }

  /** Templates `message` for `workload`; says whether the workload had logged that template before. */
  see(
    workload: string,
    message: string,
    at: number,
  ): { id: number; text: string; known: boolean; since: number } {
    let w = this.#workloads.get(workload);
    if (!w) {
      w = { firstSeen: at, miner: new TemplateMiner(' ', TEMPLATES_PER_WORKLOAD), known: new Set() };
      this.#workloads.set(workload, w);
    }
    const id = w.miner.learn(message);
    const known = w.known.has(id);
    w.known.add(id);
    return { id, text: w.miner.text(id), known, since: w.firstSeen };
  }

  state(): ProxySignaturesState {
    return {
      workloads: [...this.#workloads.entries()].map(([name, w]) => [
        name,
        { firstSeen: w.firstSeen, miner: w.miner.state(), known: [...w.known] },
      ]),
    };
  }
}
