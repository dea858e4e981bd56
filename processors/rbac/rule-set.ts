// The policy's rules compiled once into matchers. A rule's resource conditions are decided once per
// batch (a batch is one file: one pod, one namespace), so per record only the record conditions
// of the rules still possible run, in order, until the first match.
import type { Attributes } from '../../agent/kit/record/record.ts';
import { normalPath } from './normal-path.ts';
import type { Policy, PolicyRule, RuleMatch } from './policy-schema.ts';
import { statusTest, stringTest, type ValueTest } from './value-test.ts';

/** Records of a rule go to roles that read aggregates, grouped by the tenant those roles read in. */
export interface AggregateView {
  tenant: string;
  audience: string[];
}

/** What a rule (or the default) assigns, resolved against the default once. */
export interface Assignment {
  /** Index into the policy's outcomes (rules in order, then the default): for per-batch counts. */
  index: number;
  name: string;
  tenant: string;
  classification: string;
  audience: string[];
  views: AggregateView[];
}

type Condition = [key: string, test: ValueTest];

export interface CompiledRule {
  resource: Condition[];
  record: Condition[];
  assign: Assignment;
}

export interface RuleSet {
  rules: CompiledRule[];
  fallback: Assignment;
  /** Every outcome, by Assignment.index. */
  outcomes: Assignment[];
}

const RECORD_KEYS: [keyof RuleMatch, string][] = [
  ['service', 'mesh.destination.service'],
  ['source', 'mesh.source.workload'],
  ['principal', 'mesh.source.principal'],
  ['path', 'url.path'],
  ['direction', 'mesh.direction'],
  ['classification', 'data.classification'],
];

export function compileRules(policy: Policy): RuleSet {
  const d = policy.default;
  const resolve = (r: Partial<PolicyRule>, index: number, name: string): Assignment => {
    return {
      index,
      name,
      tenant: r.tenant ?? d.tenant,
      classification: r.classification ?? d.classification,
      audience: r.audience ?? d.audience,
      views: viewsOf(policy, r.aggregate_audience ?? d.aggregate_audience ?? []),
    };
  };
  const rules = policy.rules.map((r, i) => ({ ...conditions(r.match), assign: resolve(r, i, r.name) }));
  const fallback = resolve(d, policy.rules.length, 'default');
  return { rules, fallback, outcomes: [...rules.map((r) => r.assign), fallback] };
}

/** The rules whose resource conditions hold for this batch's resource. */
export function rulesFor(set: RuleSet, resource: Attributes): CompiledRule[] {
  return set.rules.filter((r) => holds(r.resource, resource));
}

/** The first of `rules` whose record conditions hold, or the default. */
export function firstMatch(rules: CompiledRule[], fallback: Assignment, a: Attributes): Assignment {
  for (let i = 0; i < rules.length; i++) if (holds(rules[i]!.record, a)) return rules[i]!.assign;
  return fallback;
}

function holds(conditions: Condition[], a: Attributes): boolean {
  for (let i = 0; i < conditions.length; i++) {
    const [key, test] = conditions[i]!;
    if (!test(a[key])) return false;
  }
  return true;
}

function conditions(m: RuleMatch): { resource: Condition[]; record: Condition[] } {
  const resource: Condition[] = [];
  const record: Condition[] = [];
  if (m.namespace !== undefined) resource.push(['k8s.namespace.name', stringTest(m.namespace)]);
  for (const [k, v] of Object.entries(m.resource ?? {})) resource.push([k, stringTest(v)]);
  for (const [option, key] of RECORD_KEYS) {
    const v = m[option] as string | string[] | undefined;
    if (v !== undefined) record.push([key, option === 'path' ? pathTest(stringTest(v)) : stringTest(v)]);
  }
  if (m.status !== undefined) record.push(['http.response.status_code', statusTest(m.status)]);
  for (const [k, v] of Object.entries(m.attributes ?? {})) record.push([k, stringTest(v)]);
  return { resource, record };
}

/** Path rules see the path as the proxy routes it (normal-path.ts), never the raw text. */
function pathTest(test: ValueTest): ValueTest {
  return (v) => typeof v === 'string' && test(normalPath(v));
}

function viewsOf(policy: Policy, roles: string[]): AggregateView[] {
  const byTenant = new Map<string, string[]>();
  for (const role of roles) {
    const tenant = policy.roles[role]!.tenant!;
    byTenant.set(tenant, [...(byTenant.get(tenant) ?? []), role]);
  }
  return [...byTenant].map(([tenant, audience]) => ({ tenant, audience }));
}
