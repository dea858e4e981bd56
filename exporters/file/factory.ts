// The file factory: the transport above behind the shared exporter helper (queue, retry, metrics).
import type { ExporterFactory } from '../../agent/kit/component.ts';
import { TransportExporter } from '../../agent/kit/exporter-helper/transport-exporter.ts';
import { SIGNALS } from '../../agent/kit/record/signal.ts';
import { fileConfig } from './config.ts';
import { FileTransport } from './transport.ts';

export const fileFactory: ExporterFactory<typeof fileConfig> = {
  kind: 'exporter',
  type: 'file',
  description: 'Appends logs, traces and metrics to a file as OTLP/JSON, one request per line.',
  signals: SIGNALS,
  config: fileConfig,
  create: (settings, config) => new TransportExporter(settings, config, 'json', new FileTransport(config)),
};
