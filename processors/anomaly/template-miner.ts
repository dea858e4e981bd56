// Route templates learned per destination, Drain-style (He et al., ICWS 2017): templates are grouped
// by token count and first token; a path joins the most similar template of its group when at least
// half its tokens equal the template's (placeholders do not count as equal), and the positions
// where they differ become `{*}`. A template keeps its id when it generalises, so "which templates
// has this source used" stays stable. Memory is bounded: `maxTemplates` per miner, then `{other}`.
// The same miner templates proxy messages (split on spaces instead of slashes).
export const WILDCARD = '{*}';
const SIMILARITY = 0.5;

interface Template {
  id: number;
  tokens: string[];
}

export interface MinerState {
  next: number;
  templates: [number, string[]][];
}

export class TemplateMiner {
  readonly #separator: string;
  readonly #maxTemplates: number;
  readonly #groups = new Map<string, Template[]>();
  readonly #byId = new Map<number, Template>();
  #next = 0;

  constructor(separator: string, maxTemplates: number, state?: MinerState) {
    this.#separator = separator;
    this.#maxTemplates = maxTemplates;
    if (state) {
      this.#next = state.next;
      for (const [id, tokens] of state.templates) this.#add({ id, tokens });
    }
  }

  get size(): number {
    return this.#byId.size;
  }

  /** Learns `text` and returns the id of its template (-1: the miner is full and nothing matched). */
  learn(text: string): number {
    const tokens = text.split(this.#separator);
    const group = this.#groups.get(groupKey(tokens));
    let best: Template | undefined;
    let bestSim = -1;
    for (const t of group ?? []) {
      const sim = similarity(t.tokens, tokens);
      if (sim > bestSim) {
        best = t;
        bestSim = sim;
      }
    }
    if (best && bestSim >= SIMILARITY) {
      for (let i = 0; i < tokens.length; i++) if (best.tokens[i] !== tokens[i]) best.tokens[i] = WILDCARD;
      return best.id;
    }
    if (this.#byId.size >= this.#maxTemplates) return -1;
    const t = { id: this.#next++, tokens };
    this.#add(t);
    return t.id;
  }

  /** The template's text, `{other}` for -1. */
  text(id: number): string {
    const t = this.#byId.get(id);
    return t ? t.tokens.join(this.#separator) : '{other}';
  }

  state(): MinerState {
    return { next: this.#next, templates: [...this.#byId.values()].map((t) => [t.id, t.tokens]) };
  }

  #add(t: Template): void {
    const key = groupKey(t.tokens);
    const group = this.#groups.get(key);
    if (group) group.push(t);
    else this.#groups.set(key, [t]);
    this.#byId.set(t.id, t);
  }
}

function groupKey(tokens: string[]): string {
  // The first token that is a name, not a placeholder, leads the group ('' for a leading '/').
  const lead = tokens.find((t) => t !== '' && !t.startsWith('{')) ?? '';
  return `${tokens.length}\u0001${lead}`;
}

function similarity(template: string[], tokens: string[]): number {
  let equal = 0;
  let counted = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = template[i];
    if (t === '' && tokens[i] === '') continue;
    counted++;
    if (t !== WILDCARD && t === tokens[i]) equal++;
  }
  return counted === 0 ? 1 : equal / counted;
}
