// The rbac processor's options. The policy is loaded and validated here, when the pipeline is
// loaded: `meshtail validate` reports a broken policy file, and the workers get the validated
// policy with their config (read-only state, no file access in the workers).

import { formatConfigError } from '../../agent/kit/config/config-error.ts';
import { options, z } from '../../agent/kit/config/schema.ts';
import { loadPolicyFile, loadPolicyText } from './policy-file.ts';
import type { Policy } from './policy-schema.ts';

export const rbacConfig = options({
  policy: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Path of the policy YAML file (roles, rules, default; see docs/access-control.md). A relative ' +
        'path resolves from the working directory. Read once, when the pipeline is loaded.',
    ),
  policy_inline: z
    .string()
    .min(1)
    .optional()
    .describe(
      'The policy as YAML text, instead of `policy` (tests, the demo); errors name `<policy_inline>`.',
    ),
}).transform((v, ctx) => {
  if ((v.policy === undefined) === (v.policy_inline === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: 'expected exactly one of "policy" or "policy_inline"',
    });
    return z.NEVER;
  }
  const key = v.policy !== undefined ? 'policy' : 'policy_inline';
  const loaded =
    v.policy !== undefined ? loadPolicyFile(v.policy) : loadPolicyText(v.policy_inline!, '<policy_inline>');
  if (!loaded.ok) {
    for (const e of loaded.errors)
      ctx.addIssue({ code: 'custom', path: [key], message: formatConfigError(e) });
    return z.NEVER;
  }
  return { ...v, document: loaded.policy as Policy };
});

export type RbacConfig = z.output<typeof rbacConfig>;
