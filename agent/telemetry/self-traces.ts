// The agent's own traces (a span per batch and per export), through the OpenTelemetry SDK, only when
// service.telemetry.traces is set. Off, the API's no-op tracer costs nothing per batch.
import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { NodeSDK } from '@opentelemetry/sdk-node';

export interface SelfTracesConfig {
  endpoint: string;
  insecure: boolean;
}

export async function startSelfTraces(config: SelfTracesConfig | undefined): Promise<() => Promise<void>> {
  if (!config) return async () => {};
  const url = /^https?:\/\//.test(config.endpoint)
    ? config.endpoint
    : `${config.insecure ? 'http' : 'https'}://${config.endpoint}`;
  const sdk = new NodeSDK({
    serviceName: 'meshtail',
    traceExporter: new OTLPTraceExporter({ url }),
    instrumentations: [],
  });
  sdk.start();
  return () => sdk.shutdown();
}

export const tracer = trace.getTracer('meshtail');
