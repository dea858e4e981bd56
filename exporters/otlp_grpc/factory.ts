// The otlp_grpc factory: config schema plus a transport wrapped by the shared exporter helper.
import type { ExporterFactory } from '../../agent/kit/component.ts';
import { TransportExporter } from '../../agent/kit/exporter-helper/transport-exporter.ts';
import { SIGNALS } from '../../agent/kit/record/signal.ts';
import { otlpGrpcConfig } from './config.ts';
import { GrpcTransport } from './transport.ts';

export const otlpGrpcFactory: ExporterFactory<typeof otlpGrpcConfig> = {
  kind: 'exporter',
  type: 'otlp_grpc',
  description: 'Sends logs, traces and metrics as OTLP protobuf over gRPC, with a sending queue and retries.',
  signals: SIGNALS,
  config: otlpGrpcConfig,
  create: (settings, config) => new TransportExporter(settings, config, 'proto', new GrpcTransport(config)),
};
