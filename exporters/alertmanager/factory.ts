// The alertmanager factory: anomaly records (OTLP/JSON logs) to Alertmanager API v2, through the
// shared exporter helper (queue, retries, self-metrics).
import type { ExporterFactory } from '../../agent/kit/component.ts';
import { TransportExporter } from '../../agent/kit/exporter-helper/transport-exporter.ts';
import { alertmanagerConfig } from './config.ts';
import { AlertmanagerTransport } from './transport.ts';

export const alertmanagerFactory: ExporterFactory<typeof alertmanagerConfig> = {
  kind: 'exporter',
  type: 'alertmanager',
  description:
    'Sends meshtail.anomaly.* log records as Prometheus Alertmanager alerts (API v2), re-sent while firing and ' +
    'resolved with endsAt; other records are ignored. Optionally signs a copy to a webhook.',
  signals: ['logs'],
  config: alertmanagerConfig,
  create: (settings, config) =>
    new TransportExporter(settings, config, 'json', new AlertmanagerTransport(config)),
};
