// The main-thread part for cumulative temporality: adds every batch's table (emitted by the worker
// part) to running totals and exports them every `interval`, and once more at shutdown. Counts only
// the first pipeline it hears from, so a processor shared by two pipelines does not count twice.
import { hostname } from 'node:os';
import type { ComponentSettings, ProcessorMain, ProcessorOutput } from '../../agent/kit/component.ts';
import { PeriodicTask } from '../../agent/kit/periodic-task.ts';
import type { Attributes } from '../../agent/kit/record/record.ts';
import type { RedMetricsConfig } from './config.ts';
import { mergeTable, newTable, type Series, type SeriesTable } from './series.ts';
import { toMetrics } from './to-metrics.ts';

const SCOPE = { name: 'meshtail/red_metrics' };
const SHUTDOWN_FLUSH_MS = 2000;

export class RedMetricsMain implements ProcessorMain {
  readonly #settings: ComponentSettings;
  readonly #config: RedMetricsConfig;
  readonly #output: ProcessorOutput;
  readonly #totals: SeriesTable = newTable();
  readonly #resource: Attributes;
  #start = 0n;
  #pipeline: string | undefined;
  readonly #exports: PeriodicTask;
  #state: 'new' | 'started' | 'stopped' = 'new';
  #warned = false;

  constructor(settings: ComponentSettings, config: RedMetricsConfig, output: ProcessorOutput) {
    this.#settings = settings;
    this.#config = config;
    this.#output = output;
    // Every node's agent exports the same series names: the instance keeps them apart.
    this.#resource = { 'service.name': 'meshtail', 'service.instance.id': hostname() };
    const node = process.env.K8S_NODE_NAME;
    if (node) this.#resource['k8s.node.name'] = node;
    this.#exports = new PeriodicTask(() => this.#export(), config.interval);
  }

  async start(): Promise<void> {
    if (this.#state !== 'new' || this.#config.temporality !== 'cumulative') return;
    this.#state = 'started';
    this.#start = nowNs();
    this.#exports.start();
  }

  consumeAggregates(aggregates: unknown[], pipeline: string): void {
    this.#pipeline ??= pipeline;
    if (pipeline !== this.#pipeline) return;
    for (const a of aggregates) {
      const series = (a as { series?: Map<string, Series> }).series;
      if (series) mergeTable(this.#totals, { series, overflowed: 0 }, this.#config);
    }
    if (this.#totals.overflowed > 0 && !this.#warned) {
      this.#warned = true;
      this.#settings.logger.warn(
        { processor: this.#settings.id, max_series: this.#config.max_series },
        'red_metrics cardinality limit reached: further series count as otel.metric.overflow',
      );
    }
  }

  /** Exports the running totals (cumulative since start), after any export in progress. */
  flush(): Promise<void> {
    return this.#exports.runNow();
  }

  async #export(): Promise<void> {
    const metrics = toMetrics(this.#totals, this.#config, 2, this.#start, nowNs());
    if (metrics.length === 0) return;
    try {
      await this.#output.emitMetrics({ resource: this.#resource, scope: SCOPE, metrics });
    } catch (err) {
      this.#settings.logger.warn(
        { processor: this.#settings.id, error: (err as Error).message },
        'red_metrics export failed',
      );
    }
  }

  async shutdown(): Promise<void> {
    if (this.#state !== 'started') {
      this.#state = 'stopped';
      return;
    }
    this.#state = 'stopped';
    // The runtime stops processor mains before exporters, so the last totals reach them; a flush
    // that cannot finish (an exporter stuck on a full queue) does not hold up the shutdown.
    await this.#exports.stop(SHUTDOWN_FLUSH_MS);
  }
}

function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}
