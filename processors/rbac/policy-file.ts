// Loads a policy file with the pipeline loader's machinery (agent/config): YAML with node ranges,
// the zod schema, and every error as FILE:LINE:COL, all at once and sorted by position.
import { readFileSync } from 'node:fs';
import type { ConfigError } from '../../agent/kit/config/config-error.ts';
import type { LoadContext } from '../../agent/kit/config/load-context.ts';
import { validateOptions } from '../../agent/kit/config/validate-options.ts';
import { YamlSource } from '../../agent/kit/config/yaml-source.ts';
import { type Policy, policySchema } from './policy-schema.ts';

export type PolicyResult = { ok: true; policy: Policy } | { ok: false; errors: ConfigError[] };

/** How errors name the policy file's owner ("unknown option ... for rbac policy"). */
const OWNER = 'rbac policy';

export function loadPolicyFile(file: string): PolicyResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    return {
      ok: false,
      errors: [{ file, line: 1, column: 1, message: `cannot read the policy file (${code})` }],
    };
  }
  return loadPolicyText(text, file);
}

/** `fileName` names the source in errors (`<policy_inline>` for inline text). */
export function loadPolicyText(text: string, fileName: string): PolicyResult {
  const source = new YamlSource(fileName, text);
  const syntax = source.syntaxErrors();
  if (syntax.fatal) return failed(syntax.errors);
  let js: unknown;
  try {
    js = source.doc.toJS() ?? {};
  } catch (err) {
    const message = `cannot read the YAML document: ${(err as Error).message}`;
    return failed([...syntax.errors, source.errorAt(source.doc.contents ?? undefined, message)]);
  }
  const ctx: LoadContext = { source, tainted: new Set(), reparsed: new Map(), failed: new Set() };
  const root = { value: source.doc.contents ?? undefined };
  const checked = validateOptions({ ctx, owner: OWNER, schema: policySchema, root }, js);
  const errors = [...syntax.errors, ...(checked.ok ? [] : checked.errors)];
  if (errors.length > 0 || !checked.ok) return failed(errors);
  return { ok: true, policy: checked.value as Policy };
}

function failed(errors: ConfigError[]): PolicyResult {
  errors.sort((a, b) => a.line - b.line || a.column - b.column || a.message.localeCompare(b.message));
  return { ok: false, errors };
}
