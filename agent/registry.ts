// The one list of component factories. The runtime, the config loader, the docs generator and the
// conformance test read it; nothing else names a component.
import type {
  AnyFactory,
  ComponentKind,
  ExporterFactory,
  ProcessorFactory,
  ReceiverFactory,
} from './kit/component.ts';

export class Registry {
  readonly #byKind = new Map<ComponentKind, Map<string, AnyFactory>>();

  constructor(factories: readonly AnyFactory[]) {
    for (const f of factories) {
      let kind = this.#byKind.get(f.kind);
      if (!kind) {
        kind = new Map();
        this.#byKind.set(f.kind, kind);
      }
      if (kind.has(f.type)) throw new Error(`two ${f.kind} factories of type ${f.type}`);
      kind.set(f.type, f);
    }
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
  get(kind: ComponentKind, type: string): AnyFactory | undefined {
    return this.#byKind.get(kind)?.get(type);
  }
  types(kind: ComponentKind): string[] {
    return [...(this.#byKind.get(kind)?.keys() ?? [])].sort();
  }
  all(): AnyFactory[] {
    return [...this.#byKind.values()].flatMap((m) => [...m.values()]);
  }
}
