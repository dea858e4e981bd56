// service.workers.guarding_processors must name defined processors: a mistyped id would leave the
// processor it meant unguarded (skipped with a marker instead of held when it fails).
import { isScalar, isSeq, type Node } from 'yaml';
import type { ComponentKind } from '../kit/component.ts';
import type { ConfigError } from '../kit/config/config-error.ts';
import type { LoadContext } from '../kit/config/load-context.ts';
import type { Located } from '../kit/config/yaml-source.ts';
import type { DefinedComponent } from './component-sections.ts';

export function checkGuardingProcessors(
  ctx: LoadContext,
  at: Located,
  defined: Record<ComponentKind, Map<string, DefinedComponent>>,
): ConfigError[] {
  if (!isSeq(at.value)) return [];
  const errors: ConfigError[] = [];
  for (const item of at.value.items) {
    if (!isScalar(item)) continue;
    const id = String(item.value);
    if (!defined.processor.has(id))
      errors.push(
        ctx.source.errorAt(
          item as Node,
          `service.workers.guarding_processors names "${id}", which is not a defined processor`,
        ),
      );
  }
  return errors;
}
