// The debug exporter: its transport behind the shared exporter helper. No queue and no retries
// (nothing to retry against); it still reports the exporter self-metrics through the helper.
import type { ComponentSettings, Exporter } from '../../agent/kit/component.ts';
import { DIRECT_NO_RETRY } from '../../agent/kit/exporter-helper/exporter-options.ts';
import { TransportExporter } from '../../agent/kit/exporter-helper/transport-exporter.ts';
import type { DebugConfig } from './config.ts';
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
