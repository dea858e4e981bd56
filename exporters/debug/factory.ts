// The debug factory. No queue and no retries (nothing to retry against); it still reports the
// exporter self-metrics through the shared helper.
import type { ComponentSettings, Exporter, ExporterFactory } from '../../agent/kit/component.ts';
import { DIRECT_NO_RETRY } from '../../agent/kit/exporter-helper/exporter-options.ts';
import { TransportExporter } from '../../agent/kit/exporter-helper/transport-exporter.ts';
import { SIGNALS } from '../../agent/kit/record/signal.ts';
import { type DebugConfig, debugConfig } from './config.ts';
import { DebugTransport, type TextSink } from './transport.ts';

/** `out` is injectable for tests; the agent writes to stderr. */
export function createDebugExporter(
  settings: ComponentSettings,
  config: DebugConfig,
  out: TextSink = process.stderr,
): Exporter {
  return new TransportExporter(
    settings,
    DIRECT_NO_RETRY,
    'json',
    new DebugTransport(settings.id, config, out),
  );
}

export const debugFactory: ExporterFactory<typeof debugConfig> = {
  kind: 'exporter',
  type: 'debug',
  description: 'Writes logs, traces and metrics to stderr in human-readable form, for trying out pipelines.',
  signals: SIGNALS,
  config: debugConfig,
  create: (settings, config) => createDebugExporter(settings, config),
};
