export const SIGNALS = ['logs', 'traces', 'metrics'] as const;
export type Signal = (typeof SIGNALS)[number];

/** How an exporter wants its payload: OTLP protobuf or OTLP/JSON. The worker encodes each once. */
export type Encoding = 'proto' | 'json';
