// V8 settings for a long-running agent, applied before the pipelines start (V8 reads this one at
// each garbage collection, and Node does not freeze flags after start).
//
// Allocation-site pretenuring off. V8 allocates objects of an allocation site straight in the old
// generation once many of them survived young collections. An agent's start (a backfill, batches
// in flight for a second) teaches it that about sites whose objects die young in steady state, and
// it never unlearns it: with 1000 files appended once a second the main thread then did no young
// collections at all, only a full mark-compact every 8-9 s of ~20 MB of garbage (10-13 ms pause +
// 23-36 ms of marking steps, and the helper threads' concurrent marking), `--trace-gc`. Without
// pretenuring those objects die in the young generation, where dead objects cost nothing.
import { setFlagsFromString } from 'node:v8';

const PRETENURING = 'allocation-site-pretenuring';

/** Applies the agent's V8 settings, unless the operator set the same flag (command line or NODE_OPTIONS). */
export function tuneV8(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions = process.env.NODE_OPTIONS ?? '',
): string[] {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)].some(
    (a) => a === `--${PRETENURING}` || a === `--no-${PRETENURING}`,
  );
  if (given) return [];
  const flags = [`--no-${PRETENURING}`];
  for (const f of flags) setFlagsFromString(f);
  return flags;
}
