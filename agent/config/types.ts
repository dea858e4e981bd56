// What the config loader hands the runtime: every component's config already validated and with
// its defaults applied, and errors that point at FILE:LINE:COL.
import type { ComponentKind } from '../kit/component.ts';
import type { ConfigError } from '../kit/config/config-error.ts';
import type { ServiceConfig } from './service.ts';

export interface ComponentConfig {
  /** `type` or `type/name`, as written. */
  id: string;
  type: string;
  kind: ComponentKind;
  /** The component's options after validation and defaults (z.output of its schema). */
  config: unknown;
}

export interface AgentConfig {
  /** The file it was loaded from (or `<embedded>`). */
  file: string;
  receivers: Map<string, ComponentConfig>;
  processors: Map<string, ComponentConfig>;
  exporters: Map<string, ComponentConfig>;
  service: ServiceConfig;
}

export type LoadResult = { ok: true; config: AgentConfig } | { ok: false; errors: ConfigError[] };
