// otlp_http options: the Collector's otlphttp exporter (endpoint + per-signal overrides, encoding,
// compression, headers, tls, timeout, sending_queue, retry_on_failure).
import { options, z } from '../../agent/kit/config/schema.ts';
import { exporterHelperOptions } from '../../agent/kit/exporter-helper/exporter-options.ts';
import { requireCertWithKey, tlsClientOptions } from '../../agent/kit/exporter-helper/tls-options.ts';
import { compressionOption, compressionParamsOption, requireLevelForCodec } from './compression-options.ts';

const url = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });

export const otlpHttpConfig = options({
  endpoint: url
    .default('http://localhost:4318')
    .describe('Base URL of the OTLP/HTTP server; /v1/logs, /v1/traces and /v1/metrics are appended.'),
  logs_endpoint: url.optional().describe('Full URL for logs, used as is instead of endpoint + /v1/logs.'),
  traces_endpoint: url
    .optional()
    .describe('Full URL for traces, used as is instead of endpoint + /v1/traces.'),
  metrics_endpoint: url
    .optional()
    .describe('Full URL for metrics, used as is instead of endpoint + /v1/metrics.'),
  encoding: z
    .enum(['proto', 'json'])
    .default('proto')
    .describe('Body encoding: OTLP protobuf (application/x-protobuf) or OTLP/JSON (application/json).'),
  compression: compressionOption,
  compression_params: compressionParamsOption,
  headers: z
    .record(z.string(), z.string())
    .default({})
    .describe(
      'HTTP headers sent with every request, e.g. an API key taken from the environment. Values are never logged.',
    ),
  tenant_header: z
    .string()
    .optional()
    .describe(
      "Header that carries a request's tenant (meshtail.tenant, set by the rbac processor), e.g. X-Scope-OrgID for Loki, Tempo and Mimir. Every request holds one tenant only; requests without one omit the header.",
    ),
  tls: options({ ...tlsClientOptions })
    .superRefine(requireCertWithKey)
    .prefault({})
    .describe('TLS for https:// endpoints (an http:// endpoint is plaintext; the scheme decides).'),
  ...exporterHelperOptions,
}).superRefine(requireLevelForCodec);

export type OtlpHttpConfig = z.output<typeof otlpHttpConfig>;
