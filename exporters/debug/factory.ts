// The debug factory: writes what it gets to stderr, for trying out pipelines.
import type { ExporterFactory } from '../../agent/kit/component.ts';
import { SIGNALS } from '../../agent/kit/record/signal.ts';
import { debugConfig } from './config.ts';
import { createDebugExporter } from './debug-exporter.ts';

export const debugFactory: ExporterFactory<typeof debugConfig> = {
  kind: 'exporter',
  type: 'debug',
  description: 'Writes logs, traces and metrics to stderr in human-readable form, for trying out pipelines.',
  signals: SIGNALS,
  config: debugConfig,
  create: (settings, config) => createDebugExporter(settings, config),
};
