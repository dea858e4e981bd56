// The agent's own metrics, exposed in Prometheus text at service.telemetry.metrics.address.
// Names follow DESIGN.md: meshtail_<kind>_<what>_total, labelled by the component id.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ComponentMetrics, CounterHandle, GaugeHandle, HistogramHandle } from '../kit/telemetry.ts';

export type { CounterHandle, GaugeHandle, HistogramHandle };

/**
 * One registry per agent. Declaring the same metric twice returns the first declaration, so two
 * instances of a component type share their series and differ only by labels.
 */
export class SelfMetrics implements ComponentMetrics {
  readonly registry = new Registry();
  readonly #made = new Map<string, Counter | Gauge | Histogram>();
  readonly #samplers = new Map<string, Set<() => void>>();

  counter(name: string, help: string, labelNames: readonly string[]): CounterHandle {
    return this.#declare(
      name,
      () => new Counter({ name, help, labelNames, registers: [this.registry] }),
    ) as Counter;
  }

  gauge(name: string, help: string, labelNames: readonly string[]): GaugeHandle {
    return this.#declare(name, () => {
      const samplers = new Set<() => void>();
      this.#samplers.set(name, samplers);
      return new Gauge({
        name,
        help,
        labelNames,
        registers: [this.registry],
        collect: () => {
          for (const s of samplers) s();
        },
      });
    }) as Gauge;
  }

  /**
   * Runs `sample` whenever the gauge is read (a scrape, value()), to set series that would cost too
   * much to keep current (a per-file lag set on every poll). Returns the function that stops it.
   */
  sampleGauge(name: string, sample: () => void): () => void {
    const samplers = this.#samplers.get(name);
    if (!samplers) throw new Error(`sampleGauge: ${name} is not a declared gauge`);
    samplers.add(sample);
    return () => samplers.delete(sample);
  }

  histogram(name: string, help: string, labelNames: readonly string[], buckets: number[]): HistogramHandle {
    return this.#declare(
      name,
      () => new Histogram({ name, help, labelNames, buckets, registers: [this.registry] }),
    ) as Histogram;
  }

  /** Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Current value of a counter or gauge series, for the demo's live view and for tests. */
  async value(name: string, labels: Record<string, string> = {}): Promise<number> {
    const metric = this.#made.get(name);
    if (!metric) return 0;
    const { values } = await metric.get();
    let sum = 0;
    for (const v of values) {
      if (Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want)) sum += v.value;
    }
    return sum;
  }

  /** Every series of a counter or gauge that has `labels`, with its labels and value. */
  async series(
    name: string,
    labels: Record<string, string> = {},
  ): Promise<{ labels: Record<string, string>; value: number }[]> {
    const metric = this.#made.get(name);
    if (!metric) return [];
    const { values } = await metric.get();
    return values
      .filter((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want))
      .map((v) => ({
        labels: Object.fromEntries(Object.entries(v.labels).map(([k, l]) => [k, String(l)])),
        value: v.value,
      }));
  }

  #declare(name: string, make: () => Counter | Gauge | Histogram): Counter | Gauge | Histogram {
    let metric = this.#made.get(name);
    if (!metric) {
      metric = make();
      this.#made.set(name, metric);
    }
    return metric;
  }
}
