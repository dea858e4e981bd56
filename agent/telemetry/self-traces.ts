// The agent's own traces (a span per batch and per export), through the OpenTelemetry SDK, only when
// service.telemetry.traces is set. Off, the API's no-op tracer costs nothing per batch, and the SDK
// is not even loaded: imported at startup it was about 5 MB of source text (its configuration
// validator alone 4.3 MB) and its modules' code in every agent's heap.
import { trace } from '@opentelemetry/api';

export interface SelfTracesConfig {
  endpoint: string;
  insecure: boolean;
}

export async function startSelfTraces(config: SelfTracesConfig | undefined): Promise<() => Promise<void>> {
  if (!config) return async () => {};
  const url = /^https?:\/\//.test(config.endpoint)
    ? config.endpoint
    : `${config.insecure ? 'http' : 'https'}://${config.endpoint}`;
  const [{ OTLPTraceExporter }, { NodeSDK }] = await Promise.all([
    import('@opentelemetry/exporter-trace-otlp-grpc'),
    import('@opentelemetry/sdk-node'),
  ]);
  const sdk = new NodeSDK({
    serviceName: 'meshtail',
    traceExporter: new OTLPTraceExporter({ url }),
    instrumentations: [],
  });
  sdk.start();
  return () => sdk.shutdown();
}

export const tracer = trace.getTracer('meshtail');
