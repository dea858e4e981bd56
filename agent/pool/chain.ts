// A pipeline's processors, loaded once per worker from their modules.
import type { ProcessLogs, ProcessorModule } from './processor.ts';
import type { PipelinePlan } from './task.ts';

export interface ChainLink {
  id: string;
  process: ProcessLogs;
}

export async function loadChain(plan: PipelinePlan): Promise<ChainLink[]> {
  const chain: ChainLink[] = [];
  for (const p of plan.processors) {
    const mod = (await import(p.module)) as ProcessorModule;
    chain.push({ id: p.id, process: mod.createProcessor(p.config, { id: p.id }) });
  }
  return chain;
}
