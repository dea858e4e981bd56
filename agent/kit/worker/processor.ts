// The contract of a processor's worker module. It runs synchronously on one batch at a time and is
// stateless between batches, except for the read-only config it was created with (DESIGN.md).
import type { ResourceLogs } from '../record/record.ts';
import type { SharedStateReader } from './shared-state.ts';

export interface ProcessorContext {
  /** The processor's id in the config, e.g. `attributes/env`. */
  id: string;
  /** What the processor's main-thread part publishes (ProcessorFactory.createMain), read-only. */
  state?: SharedStateReader<unknown>;
  /**
   * Counts an event (e.g. `email` for a masked email address) into
   * meshtail_processor_events_total{processor, event}. Never pass a value as the event name.
   */
  count(event: string, n?: number): void;
  /**
   * Hands a per-batch aggregate (structured-cloneable) to the processor's main-thread part
   * (ProcessorMain.consumeAggregates), which merges batches and decides.
   */
  emit(aggregate: unknown): void;
}

/** Mutates the batch in place: changes records, adds or removes them. Throwing fails the batch. */
export type ProcessLogs = (batch: ResourceLogs) => void;

/** A worker module's entry point: gets the processor's validated config (its schema's output). */
export type CreateProcessor<C> = (config: C, context: ProcessorContext) => ProcessLogs;

export interface ProcessorModule<C = unknown> {
  createProcessor: CreateProcessor<C>;
}

/**
 * A worker module's file: URL, typed with the config its `createProcessor` takes. The type exists
 * only for the compiler: ProcessorFactory<S>.workerModule must be a WorkerModule that accepts
 * z.output<S>, so a worker cannot expect another config than its schema gives.
 */
export type WorkerModule<C> = string & { readonly acceptsConfig?: (config: C) => void };

/** `workerModule<typeof createProcessor>(new URL('../../pool/worker.ts', import.meta.url))` in a factory. */
export function workerModule<F extends CreateProcessor<never>>(url: URL): WorkerModule<Parameters<F>[0]> {
  return url.href;
}
