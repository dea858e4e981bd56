// The otlp_http factory: config schema plus a transport wrapped by the shared exporter helper.
import type { ExporterFactory } from '../../agent/kit/component.ts';
import { TransportExporter } from '../../agent/kit/exporter-helper/transport-exporter.ts';
import { SIGNALS } from '../../agent/kit/record/signal.ts';
import { otlpHttpConfig } from './config.ts';
import { HttpTransport } from './transport.ts';

export const otlpHttpFactory: ExporterFactory<typeof otlpHttpConfig> = {
  kind: 'exporter',
  type: 'otlp_http',
  description:
    'Sends logs, traces and metrics as OTLP over HTTP (protobuf or JSON), with a sending queue and retries.',
  signals: SIGNALS,
  config: otlpHttpConfig,
  create: (settings, config) =>
    new TransportExporter(settings, config, config.encoding, new HttpTransport(config)),
};
