// What a component is handed to report on itself (ComponentSettings): a pino logger and the
// agent's metrics, as interfaces. The runtime implements them (agent/telemetry/self-metrics.ts);
// a component declares its own series through them and never sees the registry.
export type { Logger } from 'pino';

export interface CounterHandle {
  inc(labels: Record<string, string>, value?: number): void;
}
export interface GaugeHandle {
  set(labels: Record<string, string>, value: number): void;
  inc(labels: Record<string, string>, value?: number): void;
  dec(labels: Record<string, string>, value?: number): void;
  /** Drops the series, for labels that come and go (a file's path). */
  remove(labels: Record<string, string>): void;
}
export interface HistogramHandle {
  observe(labels: Record<string, string>, value: number): void;
}

/**
 * Declares the metrics of a component, named meshtail_<kind>_<what>_total (DESIGN.md). Declaring
 * the same name twice returns the first declaration, so instances of one type share their series.
 */
export interface ComponentMetrics {
  counter(name: string, help: string, labelNames: readonly string[]): CounterHandle;
  gauge(name: string, help: string, labelNames: readonly string[]): GaugeHandle;
  /**
   * Runs `sample` whenever the gauge is read, for series too costly to keep current. Returns the
   * function that stops it.
   */
  sampleGauge(name: string, sample: () => void): () => void;
  histogram(name: string, help: string, labelNames: readonly string[], buckets: number[]): HistogramHandle;
}
