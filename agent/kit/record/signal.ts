// The three OTLP signals and the two wire encodings, as the words components and the runtime
// share: a factory lists the signals it handles, an exporter the encoding it wants.
export const SIGNALS = ['logs', 'traces', 'metrics'] as const;
export type Signal = (typeof SIGNALS)[number];

/** How an exporter wants its payload: OTLP protobuf or OTLP/JSON. The worker encodes each once. */
export type Encoding = 'proto' | 'json';
