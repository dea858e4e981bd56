// Loads a policy file with the pipeline loader's machinery (agent/kit/config): YAML with node
// ranges, the zod schema, and every error as FILE:LINE:COL, all at once and sorted by position.
import type { ConfigError } from '../../agent/kit/config/config-error.ts';
import type { LoadContext } from '../../agent/kit/config/load-context.ts';
import { validateOptions } from '../../agent/kit/config/validate-options.ts';
import { parseYaml, readYamlFile, sortedErrors, yamlValues } from '../../agent/kit/config/yaml-file.ts';
import { type Policy, policySchema } from './policy-schema.ts';

export type PolicyResult = { ok: true; policy: Policy } | { ok: false; errors: ConfigError[] };

/** How errors name the policy file's owner ("unknown option ... for rbac policy"). */
const OWNER = 'rbac policy';

export function loadPolicyFile(file: string): PolicyResult {
  const read = readYamlFile(file, 'policy file');
  return read.ok ? loadPolicyText(read.text, file) : read;
}

/** `fileName` names the source in errors (`<policy_inline>` for inline text). */
export function loadPolicyText(text: string, fileName: string): PolicyResult {
  const parsed = parseYaml(text, fileName);
  if (!parsed.ok) return failed(parsed.errors);
  const { source, errors } = parsed;
  const js = yamlValues(source, errors);
  if (js === undefined) return failed(errors);
  const ctx: LoadContext = { source, tainted: new Set(), reparsed: new Map(), failed: new Set() };
  const root = { value: source.doc.contents ?? undefined };
  const checked = validateOptions({ ctx, owner: OWNER, schema: policySchema, root }, js);
  if (!checked.ok) errors.push(...checked.errors);
  if (errors.length > 0 || !checked.ok) return failed(errors);
  return { ok: true, policy: checked.value as Policy };
}

function failed(errors: ConfigError[]): PolicyResult {
  return { ok: false, errors: sortedErrors(errors) };
}
