// Runs in the worker threads: assigns every record its tenant, classification and audience by the
// first matching rule, adds the role views' aggregate records, and promotes the access attributes
// that hold for the whole batch to the resource (where Loki's label-based access control sees them).
import type { Attributes, LogRecord, ResourceLogs } from '../../agent/kit/record/record.ts';
import type { ProcessLogs, ProcessorContext } from '../../agent/kit/worker/processor.ts';
import type { RbacConfig } from './config.ts';
import { slashVariant } from './normal-path.ts';
import { CLASSIFICATIONS } from './policy-schema.ts';
import { RoleView } from './role-view.ts';
import { type Assignment, type CompiledRule, compileRules, firstMatch, rulesFor } from './rule-set.ts';

export function createProcessor(config: RbacConfig, context: ProcessorContext): ProcessLogs {
  const set = compileRules(config.document);
  // Event names are words from the policy file (bounded), built once, never record values.
  const events = set.outcomes.map((o) => ({
    tenant: `tenant.${o.tenant}`,
    classification: `classification.${o.classification}`,
  }));
  const counts = new Array<number>(set.outcomes.length).fill(0);
  return (batch) => {
    const rules = rulesFor(set, batch.resource);
    counts.fill(0);
    let view: RoleView | undefined;
    const records = batch.records;
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      const a = r.attributes;
      const o = moreRestricted(rules, set.fallback, a);
      a['meshtail.tenant'] = o.tenant;
      a['data.classification'] = o.classification;
      a['meshtail.audience'] = o.audience;
      counts[o.index]!++;
      if (o.views.length > 0) {
        view ??= new RoleView();
        for (const v of o.views) view.add(v, r);
      }
    }
    const aggregates = view ? view.records() : [];
    for (const agg of aggregates) records.push(agg);
    promote(
      batch,
      set.outcomes.filter((_, i) => counts[i]! > 0),
      aggregates,
    );
    for (let i = 0; i < counts.length; i++) {
      if (counts[i] === 0) continue;
      context.count(events[i]!.tenant, counts[i]);
      context.count(events[i]!.classification, counts[i]);
    }
    if (aggregates.length > 0) context.count('aggregate', aggregates.length);
  };
}

/**
 * The first match, unless the path has escaped or back slashes (`/admin%2Fusers`) that an application
 * may read as `/`: then the rules also see that reading, and the more restricted outcome wins.
 */
function moreRestricted(rules: CompiledRule[], fallback: Assignment, a: Attributes): Assignment {
  const o = firstMatch(rules, fallback, a);
  const path = a['url.path'];
  const variant = typeof path === 'string' ? slashVariant(path) : undefined;
  if (variant === undefined) return o;
  const other = firstMatch(rules, fallback, { ...a, 'url.path': variant });
  return rank(other.classification) > rank(o.classification) ? other : o;
}

const rank = (c: string) => CLASSIFICATIONS.indexOf(c as (typeof CLASSIFICATIONS)[number]);

/**
 * Puts each access attribute on the resource when every record of the batch has the same value
 * (the usual case: a batch is one pod's file). A mixed batch keeps them on the records only.
 */
function promote(batch: ResourceLogs, used: Assignment[], aggregates: LogRecord[]): void {
  const values = [
    ...used.map((o) => [o.tenant, o.classification, o.audience.join(',')]),
    ...aggregates.map((r) => {
      const a = r.attributes;
      return [a['meshtail.tenant'], a['data.classification'], (a['meshtail.audience'] as string[]).join(',')];
    }),
  ];
  if (values.length === 0) return;
  const keys = ['meshtail.tenant', 'data.classification', 'meshtail.audience'];
  // A new object: the batch's resource may be shared with a retry of the same task.
  const resource = { ...batch.resource };
  keys.forEach((key, k) => {
    const first = values[0]![k];
    if (values.every((v) => v[k] === first)) resource[key] = first as string;
  });
  batch.resource = resource;
}
