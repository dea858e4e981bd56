// What the schema cannot see: pipeline ids name a signal, every id a pipeline names is defined and
// supports the pipeline's signal, every pipeline has receivers and exporters, and every defined
// component is used somewhere (an unused one is almost always a typo in a pipeline list).
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import type { ComponentKind } from '../kit/component.ts';
import type { ConfigError } from '../kit/config/config-error.ts';
import type { LoadContext } from '../kit/config/load-context.ts';
import type { Located } from '../kit/config/yaml-source.ts';
import { SIGNALS, type Signal } from '../kit/record/signal.ts';
import { COMPONENT_KINDS, type DefinedComponent } from './component-sections.ts';

const PIPELINE_ID = /^(logs|traces|metrics)(?:\/(\S+))?$/;

type Defined = Record<ComponentKind, Map<string, DefinedComponent>>;

export function checkPipelines(ctx: LoadContext, at: Located, defined: Defined): ConfigError[] {
  const pipelines = at.value;
  // A missing or mistyped `pipelines` is the schema's to report; nothing here can be judged without it.
  if (!isMap(pipelines)) return [];
  const errors: ConfigError[] = [];
  const used: Record<ComponentKind, Set<string>> = {
    receiver: new Set(),
    processor: new Set(),
    exporter: new Set(),
  };
  if (pipelines.items.length === 0) {
    errors.push(
      ctx.source.errorAt(
        at.key ?? pipelines,
        'service.pipelines defines no pipeline; expected at least one, e.g. logs',
      ),
    );
  }
  for (const pair of pipelines.items) {
    const key = pair.key as Node;
    const id = isScalar(key) ? String(key.value) : '';
    const signal = PIPELINE_ID.exec(id)?.[1] as Signal | undefined;
    if (!signal) {
      const expected = `${SIGNALS.join(', ')} or <signal>/<name>`;
      errors.push(ctx.source.errorAt(key, `invalid pipeline id "${id}"; expected ${expected}`));
    }
    if (!isMap(pair.value)) continue;
    // A traces or metrics pipeline with a processor that derives its signal from log records (spans
    // from access logs, RED metrics) runs its receivers and processors on logs.
    const derived = signal !== undefined && signal !== 'logs' && derivesSignal(pair.value, signal, defined);
    for (const kind of COMPONENT_KINDS) {
      const checked = derived && kind !== 'exporter' ? 'logs' : signal;
      checkList(
        ctx,
        { id, key, value: pair.value, signal: checked },
        kind,
        defined[kind],
        used[kind],
        errors,
      );
    }
  }
  for (const kind of COMPONENT_KINDS) {
    for (const [id, component] of defined[kind]) {
      if (used[kind].has(id)) continue;
      const what = kind === 'receiver' ? 'feeds no pipeline' : 'is used in no pipeline';
      errors.push(
        ctx.source.errorAt(
          component.key,
          `${kind} "${id}" ${what}; add it to a pipeline's ${kind}s or remove it`,
        ),
      );
    }
  }
  return errors;
}

interface Pipeline {
  id: string;
  key: Node;
  value: YAMLMap;
  signal: Signal | undefined;
}

function checkList(
  ctx: LoadContext,
  pipeline: Pipeline,
  kind: ComponentKind,
  defined: Map<string, DefinedComponent>,
  used: Set<string>,
  errors: ConfigError[],
): void {
  const role = `${kind}s`;
  const pair = pipeline.value.items.find((p) => isScalar(p.key) && p.key.value === role);
  const list = pair?.value;
  if (kind !== 'processor' && (!pair || (isSeq(list) && list.items.length === 0))) {
    const at = (pair?.key as Node | undefined) ?? pipeline.key;
    errors.push(
      ctx.source.errorAt(at, `pipeline "${pipeline.id}" has no ${role}; expected at least one ${kind} id`),
    );
    return;
  }
  if (!isSeq(list)) return;
  const seen = new Set<string>();
  for (const item of list.items) {
    if (!isScalar(item) || typeof item.value !== 'string') continue;
    const ref = item.value;
    // An id that came from substitution is named only as such: it could be anything from the environment.
    const name = ctx.tainted.has(item) ? 'a substituted id' : `"${ref}"`;
    used.add(ref);
    if (seen.has(ref)) {
      errors.push(ctx.source.errorAt(item, `${kind} ${name} is listed twice in pipeline "${pipeline.id}"`));
      continue;
    }
    seen.add(ref);
    const component = defined.get(ref);
    if (!component) {
      const ids = [...defined.keys()];
      const hint = ids.length > 0 ? `defined ${role}: ${ids.join(', ')}` : `no ${role} are defined`;
      errors.push(
        ctx.source.errorAt(item, `pipeline "${pipeline.id}" uses undefined ${kind} ${name}; ${hint}`),
      );
    } else if (pipeline.signal && component.factory && !component.factory.signals.includes(pipeline.signal)) {
      errors.push(
        ctx.source.errorAt(
          item,
          `${kind} ${name} does not support ${pipeline.signal} (pipeline "${pipeline.id}"); it supports: ${component.factory.signals.join(', ')}`,
        ),
      );
    }
  }
}

function derivesSignal(pipeline: YAMLMap, signal: Signal, defined: Defined): boolean {
  const list = pipeline.items.find((p) => isScalar(p.key) && p.key.value === 'processors')?.value;
  if (!isSeq(list)) return false;
  return list.items.some((item) => {
    if (!isScalar(item) || typeof item.value !== 'string') return false;
    const factory = defined.processor.get(item.value)?.factory;
    return factory?.kind === 'processor' && (factory.derives ?? []).includes(signal);
  });
}
