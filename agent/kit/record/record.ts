// The data model processors and encoders work on, inside the worker threads. It mirrors the OTLP
// data model closely enough that the encoder writes it without conversion. Timestamps are bigint
// nanoseconds because Unix nanoseconds exceed Number.MAX_SAFE_INTEGER.

export type AttributeValue =
  | string
  | number
  | boolean
  | bigint
  | Uint8Array
  | AttributeValue[]
  | { readonly kvlist: Attributes }
  | null;

export type Attributes = Record<string, AttributeValue>;

export interface Scope {
  name: string;
  version?: string;
}

export interface LogRecord {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  body: AttributeValue;
  attributes: Attributes;
  traceId?: Uint8Array;
  spanId?: Uint8Array;
  flags?: number;
  eventName?: string;
}

export interface ResourceLogs {
  resource: Attributes;
  scope: Scope;
  records: LogRecord[];
  /** Spans a processor derived from the records (ProcessorFactory.derives); a traces pipeline exports them. */
  spans?: Span[];
  /** Metrics a processor derived from the records; a metrics pipeline exports them. */
  metrics?: Metric[];
}

export const SpanKind = {
  unspecified: 0,
  internal: 1,
  server: 2,
  client: 3,
  producer: 4,
  consumer: 5,
} as const;

export interface SpanEvent {
  timeUnixNano: bigint;
  name: string;
  attributes: Attributes;
}

export interface SpanLink {
  traceId: Uint8Array;
  spanId: Uint8Array;
  traceState?: string;
  attributes: Attributes;
}

export interface Span {
  traceId: Uint8Array;
  spanId: Uint8Array;
  traceState?: string;
  parentSpanId?: Uint8Array;
  flags?: number;
  name: string;
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Attributes;
  events: SpanEvent[];
  links: SpanLink[];
  /** 0 unset, 1 ok, 2 error (OTLP Status.StatusCode). */
  status: { code: number; message?: string };
}

export interface ResourceSpans {
  resource: Attributes;
  scope: Scope;
  spans: Span[];
}

export interface NumberDataPoint {
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  /** An integer point when `asInt` is true; a double otherwise. */
  value: number;
  asInt?: boolean;
}

export interface HistogramDataPoint {
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  count: number;
  sum?: number;
  bucketCounts: number[];
  explicitBounds: number[];
  min?: number;
  max?: number;
}

export interface ExponentialHistogramDataPoint {
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  count: number;
  sum?: number;
  scale: number;
  zeroCount: number;
  positive: { offset: number; bucketCounts: number[] };
  negative: { offset: number; bucketCounts: number[] };
  min?: number;
  max?: number;
}

/** OTLP AggregationTemporality: 1 delta, 2 cumulative. */
export type Temporality = 1 | 2;

export type Metric =
  | { name: string; description?: string; unit?: string; type: 'gauge'; points: NumberDataPoint[] }
  | {
      name: string;
      description?: string;
      unit?: string;
      type: 'sum';
      temporality: Temporality;
      monotonic: boolean;
      points: NumberDataPoint[];
    }
  | {
      name: string;
      description?: string;
      unit?: string;
      type: 'histogram';
      temporality: Temporality;
      points: HistogramDataPoint[];
    }
  | {
      name: string;
      description?: string;
      unit?: string;
      type: 'exponential_histogram';
      temporality: Temporality;
      points: ExponentialHistogramDataPoint[];
    };

export interface ResourceMetrics {
  resource: Attributes;
  scope: Scope;
  metrics: Metric[];
}
