// The OpenTelemetry Collector's names, so a Collector config carries over: the types it spells
// differently from meshtail (accepted as aliases), and common Collector component types meshtail
// does not have (named as such by `validate`, with what to use instead, rather than "unknown").
import type { ComponentKind } from '../kit/component.ts';

/** Collector type → meshtail type with the same options. */
const ALIASES: Partial<Record<ComponentKind, Record<string, string>>> = {
  exporter: { otlp: 'otlp_grpc', otlphttp: 'otlp_http' },
};

/** The meshtail type a Collector alias stands for, or the type itself. */
export function canonicalType(kind: ComponentKind, type: string): string {
  return ALIASES[kind]?.[type] ?? type;
}

/** Every alias, for the docs. */
export function collectorAliases(): { kind: ComponentKind; alias: string; type: string }[] {
  return Object.entries(ALIASES).flatMap(([kind, map]) =>
    Object.entries(map ?? {}).map(([alias, type]) => ({ kind: kind as ComponentKind, alias, type })),
  );
}

// What to use instead, or '' when meshtail has nothing like it.
const MISSING: Record<ComponentKind, Record<string, string>> = {
  receiver: {
    otlp: '',
    prometheus: '',
    hostmetrics: '',
    kubeletstats: '',
    k8s_cluster: '',
    k8s_events: '',
    journald: '',
    syslog: '',
    jaeger: '',
    zipkin: '',
    fluentforward: '',
    kafka: '',
  },
  processor: {
    k8sattributes: 'k8s_metadata',
    resource: 'attributes',
    resourcedetection: 'k8s_metadata',
    transform: 'attributes',
    redaction: 'redact',
    tail_sampling: '',
    probabilistic_sampler: '',
    groupbyattrs: '',
    routing: 'rbac (per-tenant routing)',
    cumulativetodelta: '',
    deltatocumulative: '',
    spanmetrics: 'red_metrics',
    span: '',
  },
  exporter: {
    prometheus: '',
    prometheusremotewrite: '',
    loki: 'otlp_http (Loki takes OTLP at /otlp)',
    kafka: '',
    loadbalancing: '',
    logging: 'debug',
    elasticsearch: '',
    awss3: '',
    googlecloud: '',
    zipkin: '',
  },
};

/** The message for a Collector type meshtail lacks, or undefined when it is no known Collector type. */
export function missingCollectorType(kind: ComponentKind, type: string): string | undefined {
  const instead = MISSING[kind][type];
  if (instead === undefined) return undefined;
  const base = `"${type}" is an OpenTelemetry Collector ${kind} meshtail does not have`;
  return instead ? `${base}; use ${instead}` : base;
}
