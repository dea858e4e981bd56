// The `receivers`, `processors` and `exporters` sections: each id is `type` or `type/name`, each type
// must be registered for its kind, and each value is validated by that factory's schema.
import { isMap, isScalar, type Node } from 'yaml';
import type { AnyFactory, ComponentKind } from '../kit/component.ts';
import type { ConfigError } from '../kit/config/config-error.ts';
import type { LoadContext } from '../kit/config/load-context.ts';
import { validateOptions } from '../kit/config/validate-options.ts';
import type { Registry } from '../registry.ts';
import { canonicalType, missingCollectorType } from './collector-names.ts';
import type { ComponentConfig } from './types.ts';

export const COMPONENT_KINDS: readonly ComponentKind[] = ['receiver', 'processor', 'exporter'];

/** A component as defined in its section, valid or not, for the pipeline checks. */
export interface DefinedComponent {
  key: Node;
  /** Undefined when the type is not registered (already reported). */
  factory?: AnyFactory;
}

export interface SectionsResult {
  configs: Record<ComponentKind, Map<string, ComponentConfig>>;
  defined: Record<ComponentKind, Map<string, DefinedComponent>>;
  errors: ConfigError[];
}

// The Collector's id grammar: a type in lower_snake_case letters and digits, then an optional name.
const ID = /^([A-Za-z][A-Za-z0-9_]*)(?:\/(\S+))?$/;

export function checkComponentSections(
  ctx: LoadContext,
  registry: Registry,
  js: Record<string, unknown>,
): SectionsResult {
  const result: SectionsResult = {
    configs: { receiver: new Map(), processor: new Map(), exporter: new Map() },
    defined: { receiver: new Map(), processor: new Map(), exporter: new Map() },
    errors: [],
  };
  for (const kind of COMPONENT_KINDS) {
    const section = `${kind}s`;
    const located = ctx.source.locate(ctx.source.doc.contents, [section]);
    const node = located.value;
    if (!node || (isScalar(node) && node.value === null)) continue;
    if (!isMap(node)) {
      result.errors.push(
        ctx.source.errorAt(node, `"${section}" must be a map of ${kind} ids to their options`),
      );
      continue;
    }
    const values = (js[section] ?? {}) as Record<string, unknown>;
    for (const pair of node.items) {
      const key = pair.key as Node;
      const id = isScalar(key) ? String(key.value) : '';
      checkComponent(
        ctx,
        registry,
        kind,
        { id, key, value: (pair.value ?? undefined) as Node | undefined },
        values[id],
        result,
      );
    }
  }
  return result;
}

function checkComponent(
  ctx: LoadContext,
  registry: Registry,
  kind: ComponentKind,
  at: { id: string; key: Node; value: Node | undefined },
  data: unknown,
  result: SectionsResult,
): void {
  const match = ID.exec(at.id);
  if (!match) {
    result.errors.push(
      ctx.source.errorAt(
        at.key,
        `invalid ${kind} id "${at.id}"; expected "type" or "type/name", e.g. "filelog/istio"`,
      ),
    );
    return;
  }
  // The Collector's own spelling of a type (otlp, otlphttp) names the same component.
  const type = canonicalType(kind, match[1]!);
  const factory = registry.get(kind, type);
  result.defined[kind].set(at.id, { key: at.key, factory });
  if (!factory) {
    const known = registry.types(kind);
    const hint =
      known.length > 0 ? `expected one of: ${known.join(', ')}` : `no ${kind} types are registered`;
    const collector = missingCollectorType(kind, type);
    const message = collector
      ? `${collector}${at.id === type ? '' : ` (in "${at.id}")`}`
      : `unknown ${kind} type "${type}" in "${at.id}"; ${hint}`;
    result.errors.push(ctx.source.errorAt(at.key, message));
    return;
  }
  // `mesh_parse:` and `mesh_parse: {}` both mean "all defaults", as in the Collector.
  const scope = { ctx, owner: at.id, schema: factory.config, root: { key: at.key, value: at.value } };
  const checked = validateOptions(scope, data ?? {});
  if (!checked.ok) {
    result.errors.push(...checked.errors);
    return;
  }
  result.configs[kind].set(at.id, { id: at.id, type, kind, config: checked.value });
}
