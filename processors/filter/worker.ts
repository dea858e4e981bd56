// Runs in the worker threads: keeps or drops records by attribute, so two pipelines sharing a
// receiver can route records apart (e.g. records missing a required access label to their own
// exporter), the way the Collector's filter processor does.
import type { LogRecord } from '../../agent/kit/record/record.ts';
import type { ProcessLogs, ProcessorContext } from '../../agent/kit/worker/processor.ts';
import type { FilterCondition, FilterConfig } from './config.ts';

export function createProcessor(config: FilterConfig, context: ProcessorContext): ProcessLogs {
  const { keep_when, drop_when } = config;
  return (batch) => {
    const before = batch.records.length;
    batch.records = batch.records.filter(
      (r) =>
        (keep_when.length === 0 || keep_when.some((c) => matches(r, c))) &&
        !drop_when.some((c) => matches(r, c)),
    );
    const dropped = before - batch.records.length;
    if (dropped > 0) context.count('dropped', dropped);
  };
}

function matches(r: LogRecord, c: FilterCondition): boolean {
  const v = r.attributes[c.attribute];
  if (c.exists !== undefined && (v !== undefined) !== c.exists) return false;
  if (c.equals !== undefined && v !== c.equals) return false;
  return c.exists !== undefined || c.equals !== undefined;
}
