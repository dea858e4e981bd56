// The default registry plus the processors that derive traces and metrics from access records
// (spans, red_metrics), for tests that run them before they are wired into agent/components.ts.

import { defaultRegistry } from '../../agent/default-registry.ts';
import type { AnyFactory } from '../../agent/kit/component.ts';
import { Registry } from '../../agent/registry.ts';
import { redMetricsFactory } from '../../processors/red_metrics/factory.ts';
import { spansFactory } from '../../processors/spans/factory.ts';

export function derivedRegistry(): Registry {
  const extra: AnyFactory[] = [spansFactory, redMetricsFactory].filter(
    (f) => !defaultRegistry.processor(f.type),
  );
  return extra.length === 0 ? defaultRegistry : new Registry([...defaultRegistry.all(), ...extra]);
}
