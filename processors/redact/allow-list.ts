// Allow rules, compiled once: a finding passes in clear when some rule for its entity holds for
// its value and the attribute it was found in (all the conditions the rule gives).
import type { AllowRule } from './config.ts';
import type { Entity } from './entity.ts';

interface CompiledRule {
  values?: Set<string>;
  pattern?: RegExp;
  attribute?: string;
}

export class AllowList {
  readonly #rules = new Map<Entity, CompiledRule[]>();

  constructor(rules: readonly AllowRule[]) {
    for (const r of rules) {
      const compiled: CompiledRule = {};
      if (r.values !== undefined) compiled.values = new Set(r.values);
      if (r.pattern !== undefined) compiled.pattern = new RegExp(r.pattern);
      if (r.attribute !== undefined) compiled.attribute = r.attribute;
      const list = this.#rules.get(r.entity);
      if (list) list.push(compiled);
      else this.#rules.set(r.entity, [compiled]);
    }
  }

  /** `attribute` is undefined for the body. */
  allows(entity: Entity, value: string, attribute: string | undefined): boolean {
    const rules = this.#rules.get(entity);
    if (rules === undefined) return false;
    for (const r of rules) {
      if (r.attribute !== undefined && r.attribute !== attribute) continue;
      if (r.values !== undefined && !r.values.has(value)) continue;
      if (r.pattern !== undefined && !r.pattern.test(value)) continue;
      return true;
    }
    return false;
  }
}
