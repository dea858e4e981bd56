// Every component meshtail ships, each imported only when a config names it: the components a
// config leaves out cost no memory (7 MiB of the idle agent's 160 for those the default config
// does not use, and gRPC's 65 modules when no exporter speaks it; docs/architecture.md). Add an
// entry here and it is configurable, documented and tested by the registry conformance test.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { canonicalType } from './config/collector-names.ts';
import { COMPONENT_KINDS } from './config/component-sections.ts';
import type { AnyFactory, ComponentKind } from './kit/component.ts';
import { type ComponentEntry, Registry } from './registry.ts';

/** An entry whose factory is the one export of `module` with this kind and type. */
function entry(
  kind: ComponentKind,
  type: string,
  module: () => Promise<Record<string, unknown>>,
): ComponentEntry {
  return {
    kind,
    type,
    async load() {
      const found = Object.values(await module()).find(
        (v) => (v as AnyFactory | undefined)?.kind === kind && (v as AnyFactory).type === type,
      );
      if (!found) throw new Error(`no ${kind} factory of type ${type} in its module`);
      return found as AnyFactory;
    },
  };
}

const components: ComponentEntry[] = [
  entry('receiver', 'filelog', () => import('../receivers/filelog/factory.ts')),
  entry('receiver', 'stdin', () => import('../receivers/stdin/factory.ts')),
  entry('processor', 'attributes', () => import('../processors/attributes/factory.ts')),
  entry('processor', 'filter', () => import('../processors/filter/factory.ts')),
  entry('processor', 'mesh_parse', () => import('../processors/mesh_parse/factory.ts')),
  entry('processor', 'rbac', () => import('../processors/rbac/factory.ts')),
  entry('processor', 'redact', () => import('../processors/redact/factory.ts')),
  entry('processor', 'encrypt', () => import('../processors/encrypt/factory.ts')),
  entry('processor', 'k8s_metadata', () => import('../processors/k8s_metadata/factory.ts')),
  entry('processor', 'anomaly', () => import('../processors/anomaly/factory.ts')),
  entry('processor', 'spans', () => import('../processors/spans/factory.ts')),
  entry('processor', 'red_metrics', () => import('../processors/red_metrics/factory.ts')),
  entry('processor', 'memory_limiter', () => import('../processors/memory_limiter/factory.ts')),
  entry('processor', 'batch', () => import('../processors/batch/factory.ts')),
  entry('exporter', 'otlp_grpc', () => import('../exporters/otlp_grpc/factory.ts')),
  entry('exporter', 'otlp_http', () => import('../exporters/otlp_http/factory.ts')),
  entry('exporter', 'file', () => import('../exporters/file/factory.ts')),
  entry('exporter', 'debug', () => import('../exporters/debug/factory.ts')),
  entry('exporter', 'alertmanager', () => import('../exporters/alertmanager/factory.ts')),
];

/** A registry that knows every component and has loaded none yet. */
export function componentRegistry(): Registry {
  return new Registry([], components);
}

/** A registry with every component loaded: for the docs, the conformance test and the demo. */
export function fullRegistry(): Promise<Registry> {
  return componentRegistry().load();
}

/**
 * Loads into `registry` the components that the config `text` names (its receivers, processors
 * and exporters sections, by type, the Collector's spellings included). Text it cannot read as
 * YAML loads them all: the loader then reports the error.
 */
export async function loadNamed(registry: Registry, text: string): Promise<Registry> {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return registry.load();
  }
  const named = new Set<string>();
  for (const kind of COMPONENT_KINDS) {
    const section = (doc as Record<string, unknown> | null)?.[`${kind}s`];
    if (typeof section !== 'object' || section === null) continue;
    for (const id of Object.keys(section)) named.add(`${kind}/${canonicalType(kind, id.split('/')[0]!)}`);
  }
  return registry.load((kind: ComponentKind, type) => named.has(`${kind}/${type}`));
}

/** loadNamed on a config file; returns the text it read, or undefined if unreadable (the loader then says why). */
export async function loadNamedInFile(registry: Registry, file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  await loadNamed(registry, text);
  return text;
}
