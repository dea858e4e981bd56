// otlp_grpc options: the Collector's otlp exporter, option for option (no balancer).

import { duration, options, z } from '../../agent/kit/config/schema.ts';
import { exporterHelperOptions } from '../../agent/kit/exporter-helper/exporter-options.ts';
import { requireCertWithKey, tlsClientOptions } from '../../agent/kit/exporter-helper/tls-options.ts';

export const otlpGrpcConfig = options({
  endpoint: z
    .string()
    .regex(/^(?:https?:\/\/)?[^/\s]+:\d+\/?$/, 'expected host:port, e.g. otel-gateway:4317')
    .default('localhost:4317')
    .describe(
      'host:port of the OTLP/gRPC server. An http:// or https:// prefix is accepted and ignored; tls decides.',
    ),
  tenant_header: z
    .string()
    .optional()
    .describe(
      "Header that carries a request's tenant (meshtail.tenant, set by the rbac processor), e.g. X-Scope-OrgID for Loki, Tempo and Mimir. Every request holds one tenant only; requests without one omit the header.",
    ),
  tls: options({
    insecure: z.boolean().default(false).describe('Plaintext gRPC (no TLS).'),
    ...tlsClientOptions,
  })
    .superRefine(requireCertWithKey)
    .prefault({})
    .describe('Transport security. TLS with the system roots unless insecure is true.'),
  headers: z
    .record(z.string(), z.string())
    .default({})
    .describe(
      'gRPC metadata sent with every request, e.g. an API key taken from the environment by env substitution. Values are never logged.',
    ),
  compression: z.enum(['gzip', 'none']).default('gzip').describe('Message compression.'),
  keepalive: options({
    time: duration('30s').describe('Ping the server after this long without activity.'),
    timeout: duration('10s').describe('Close the connection if a ping is not answered within this.'),
    permit_without_stream: z.boolean().default(false).describe('Also ping while no request is in flight.'),
  })
    .optional()
    .describe('HTTP/2 keepalive pings; off unless set.'),
  ...exporterHelperOptions,
});

export type OtlpGrpcConfig = z.output<typeof otlpGrpcConfig>;
