// Builds an AgentConfig in code for runtime tests that do not exercise the YAML loader.

import { serviceSchema } from '../../agent/config/service.ts';
import type { AgentConfig, ComponentConfig } from '../../agent/config/types.ts';
import type { ComponentKind } from '../../agent/kit/component.ts';
import type { Registry } from '../../agent/registry.ts';

type Section = Record<string, unknown>;

export function agentConfig(
  registry: Registry,
  sections: { receivers: Section; processors?: Section; exporters: Section; service: unknown },
): AgentConfig {
  const build = (kind: ComponentKind, section: Section = {}) => {
    const map = new Map<string, ComponentConfig>();
    for (const [id, raw] of Object.entries(section)) {
      const type = id.split('/')[0]!;
      const factory = registry.get(kind, type);
      if (!factory) throw new Error(`no ${kind} ${type}`);
      map.set(id, { id, type, kind, config: factory.config.parse(raw ?? {}) });
    }
    return map;
  };
  return {
    file: '<test>',
    receivers: build('receiver', sections.receivers),
    processors: build('processor', sections.processors),
    exporters: build('exporter', sections.exporters),
    service: serviceSchema.parse(sections.service),
  };
}
