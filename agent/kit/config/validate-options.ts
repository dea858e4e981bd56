// Validates one value (a component's options or the service section) against its schema, with the
// defaults applied, and reports every issue at its node.
import { isScalar } from 'yaml';
import type { ConfigError } from './config-error.ts';
import type { z } from './schema.ts';
import type { ConfigPath } from './yaml-source.ts';
import { issueToErrors, type OptionsScope } from './zod-issues.ts';

type Issue = z.core.$ZodIssue;

export type OptionsResult = { ok: true; value: unknown } | { ok: false; errors: ConfigError[] };

/** Issues a caller reports itself in better words (e.g. a pipeline without receivers). */
export type IssueFilter = (issue: Issue, missing: boolean) => boolean;

export function validateOptions(scope: OptionsScope, data: unknown, skip?: IssueFilter): OptionsResult {
  let input = data;
  let result = scope.schema.safeParse(input);
  // A few rounds at most: each turns the re-parsed substitutions that zod wanted as strings back into
  // their text (a numeric password from ${env:...} is still a password).
  for (let round = 0; !result.success && round < 4; round++) {
    const retyped = retypeAsStrings(scope, input, result.error.issues);
    if (retyped === undefined) break;
    input = retyped;
    result = scope.schema.safeParse(input);
  }
  if (result.success) return { ok: true, value: result.data };
  const errors = result.error.issues.flatMap((issue) => {
    const missing = isMissing(input, issue.path as ConfigPath);
    return skip?.(issue, missing) ? [] : issueToErrors(issue, scope, missing);
  });
  return { ok: false, errors };
}

function wantsString(issue: Issue): boolean {
  if (issue.code === 'invalid_type') return issue.expected === 'string';
  if (issue.code === 'invalid_union') return issue.errors.some((branch) => branch.some(wantsString));
  return false;
}

function retypeAsStrings(scope: OptionsScope, input: unknown, issues: readonly Issue[]): unknown {
  let changed = false;
  for (const issue of issues) {
    const path = issue.path as ConfigPath;
    if (path.length === 0 || !wantsString(issue)) continue;
    const node = scope.ctx.source.locate(scope.root.value, path).value;
    const text = isScalar(node) ? scope.ctx.reparsed.get(node) : undefined;
    if (text === undefined) continue;
    const parent = valueAt(input, path.slice(0, -1));
    if (parent && typeof parent === 'object') {
      (parent as Record<PropertyKey, unknown>)[path.at(-1)!] = text;
      changed = true;
    }
  }
  return changed ? input : undefined;
}

function valueAt(data: unknown, path: ConfigPath): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

/** The option is absent (not merely wrong): its parent is a map that lacks the key. */
function isMissing(data: unknown, path: ConfigPath): boolean {
  if (path.length === 0) return data === undefined;
  const parent = valueAt(data, path.slice(0, -1));
  return parent !== null && typeof parent === 'object' && !Array.isArray(parent) && !(path.at(-1)! in parent);
}
