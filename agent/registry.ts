// The one list of component factories. The runtime, the config loader, the docs generator and the
// conformance test read it; nothing else names a component. A factory is loaded (imported) only
// when a config names its type: each brings its implementation's modules, and an agent pays in
// memory for every module it has loaded (docs/architecture.md, Memory budget).
import type {
  AnyFactory,
  ComponentKind,
  ExporterFactory,
  ProcessorFactory,
  ReceiverFactory,
} from './kit/component.ts';

/** A component the registry knows by kind and type, imported on demand. */
export interface ComponentEntry {
  kind: ComponentKind;
  type: string;
  load(): Promise<AnyFactory>;
}

export class Registry {
  readonly #byKind = new Map<ComponentKind, Map<string, AnyFactory>>();
  readonly #entries: readonly ComponentEntry[];

  constructor(factories: readonly AnyFactory[], entries: readonly ComponentEntry[] = []) {
    for (const f of factories) this.#add(f);
    const seen = new Set<string>();
    for (const e of entries) {
      const key = `${e.kind}/${e.type}`;
      if (seen.has(key)) throw new Error(`two ${e.kind} factories of type ${e.type}`);
      seen.add(key);
    }
    this.#entries = entries;
  }

  #add(f: AnyFactory): void {
    let kind = this.#byKind.get(f.kind);
    if (!kind) {
      kind = new Map();
      this.#byKind.set(f.kind, kind);
    }
    if (kind.has(f.type)) throw new Error(`two ${f.kind} factories of type ${f.type}`);
    kind.set(f.type, f);
  }

  /** Imports the factories that `wanted` selects (all by default) and are not loaded yet. */
  async load(wanted: (kind: ComponentKind, type: string) => boolean = () => true): Promise<this> {
    const todo = this.#entries.filter((e) => wanted(e.kind, e.type) && !this.get(e.kind, e.type));
    const loaded = await Promise.all(todo.map((e) => e.load()));
    todo.forEach((entry, i) => {
      const f = loaded[i]!;
      if (f.kind !== entry.kind || f.type !== entry.type)
        throw new Error(`${entry.kind}/${entry.type} loaded the factory of ${f.kind}/${f.type}`);
      if (!this.get(f.kind, f.type)) this.#add(f);
    });
    return this;
  }

  receiver(type: string): ReceiverFactory | undefined {
    return this.#byKind.get('receiver')?.get(type) as ReceiverFactory | undefined;
  }
  processor(type: string): ProcessorFactory | undefined {
    return this.#byKind.get('processor')?.get(type) as ProcessorFactory | undefined;
  }
  exporter(type: string): ExporterFactory | undefined {
    return this.#byKind.get('exporter')?.get(type) as ExporterFactory | undefined;
  }
  /** The factory of a loaded type, or undefined (unknown, or known but not loaded). */
  get(kind: ComponentKind, type: string): AnyFactory | undefined {
    return this.#byKind.get(kind)?.get(type);
  }
  /** Every type of a kind the registry knows, loaded or not. */
  types(kind: ComponentKind): string[] {
    const names = new Set(this.#byKind.get(kind)?.keys() ?? []);
    for (const e of this.#entries) if (e.kind === kind) names.add(e.type);
    return [...names].sort();
  }
  /** The loaded factories. */
  all(): AnyFactory[] {
    return [...this.#byKind.values()].flatMap((m) => [...m.values()]);
  }
}
