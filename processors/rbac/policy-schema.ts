// The policy file's schema: roles, ordered rules (first match wins) and a default. It validates the
// file (unknown keys rejected, every error positioned by policy-file.ts) and documents the format.
import { z } from '../../agent/kit/config/schema.ts';

export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

// Loki's tenant id rules (docs: "Tenant IDs"): up to 150 bytes of letters, digits and !-_.*'(),
// never "." or "..". Tempo and Mimir accept the same set.
const TENANT = /^[A-Za-z0-9!._*'()-]{1,150}$/;
const ROLE = /^[a-z][a-z0-9_-]*(:[a-z0-9][a-z0-9_.-]*)?$/;
const STATUS_RANGE = /^\d{3}$|^[1-5]xx$|^\d{3}-\d{3}$/;

const tenant = z.string().refine((t) => TENANT.test(t) && t !== '.' && t !== '..', {
  message: "expected a tenant id: 1-150 letters, digits or !-_.*'() (Loki's tenant id rules)",
});
const ROLE_MESSAGE = 'expected a role name like "sre" or "team:payments"';
// refine, not regex: a regex failure reports "expected a regex"; a custom issue says what to write.
const role = z.string().refine((r) => ROLE.test(r), { message: ROLE_MESSAGE });
const pattern = z.string().min(1);
const patterns = z.union([pattern, z.array(pattern).min(1)]);
const status = z.union([
  z.number().int().min(0).max(999),
  z
    .string()
    .refine((v) => STATUS_RANGE.test(v), { message: 'expected a status like 404, "5xx" or "500-504"' }),
]);
const classification = z.enum(CLASSIFICATIONS);

const match = z.strictObject({
  namespace: patterns.optional().describe('Resource k8s.namespace.name.'),
  service: patterns.optional().describe('mesh.destination.service.'),
  source: patterns.optional().describe('mesh.source.workload.'),
  principal: patterns.optional().describe('mesh.source.principal (a SPIFFE id).'),
  path: patterns.optional().describe('url.path; `*` matches any characters, so "/api/*" is a prefix.'),
  status: z
    .union([status, z.array(status).min(1)])
    .optional()
    .describe('http.response.status_code.'),
  direction: z.enum(['inbound', 'outbound']).optional().describe('mesh.direction.'),
  classification: z.union([classification, z.array(classification).min(1)]).optional(),
  attributes: z
    .record(z.string(), z.union([patterns, z.boolean().transform(String)]))
    .optional()
    .describe(
      'Any record attribute: string values, or true/false for a boolean one (meshtail.user.verified).',
    ),
  resource: z.record(z.string(), patterns).optional().describe('Any resource attribute (pod labels).'),
});

const assignment = {
  tenant: tenant.optional(),
  classification: classification.optional(),
  /** Roles that read the full records. */
  audience: z.array(role).min(1).optional(),
  /** Roles that read only aggregates of the matched records (role views); [] opts out of the default's. */
  aggregate_audience: z.array(role).optional(),
};

const rule = z.strictObject({ name: z.string().min(1), match, ...assignment });

const defaults = z.strictObject({
  tenant,
  classification,
  audience: z.array(role).min(1),
  aggregate_audience: assignment.aggregate_audience,
});

const roleSpec = z.strictObject({
  description: z.string().min(1),
  /** Where this role reads aggregates (required for a role used in aggregate_audience). */
  tenant: tenant.optional(),
});

export const policySchema = z
  .strictObject({
    roles: z.record(z.string(), roleSpec),
    rules: z.array(rule).default([]),
    default: defaults,
  })
  // Runs even when other options are wrong (`when`), so every error is reported at once; it reads
  // the input defensively for that reason.
  .superRefine((p, ctx) => checkReferences(p as unknown as Loose, ctx), { when: () => true });

type Loose = { roles?: unknown; rules?: unknown; default?: unknown };
type Ctx = z.core.$RefinementCtx<unknown>;

function checkReferences(p: Loose, ctx: Ctx): void {
  const roles = isMap(p.roles) ? p.roles : {};
  const names = Object.keys(roles);
  for (const name of names) {
    if (!ROLE.test(name)) ctx.addIssue({ code: 'custom', path: ['roles', name], message: ROLE_MESSAGE });
  }
  const known = (at: Record<string, unknown>, key: string, path: PropertyKey[], aggregate: boolean) => {
    const list = at[key];
    if (!Array.isArray(list)) return;
    list.forEach((r, i) => {
      if (typeof r !== 'string' || !ROLE.test(r)) return;
      const spec = roles[r];
      let message: string | undefined;
      if (!isMap(spec)) message = `unknown role "${r}"; expected one of: ${names.join(', ')}`;
      else if (aggregate && spec.tenant === undefined)
        message = `role "${r}" reads aggregates, so it needs a "tenant" under roles`;
      if (message) ctx.addIssue({ code: 'custom', path: [...path, key, i], message });
    });
  };
  const seen = new Set<unknown>();
  (Array.isArray(p.rules) ? p.rules : []).forEach((r: unknown, i) => {
    if (!isMap(r)) return;
    if (typeof r.name === 'string' && seen.has(r.name))
      ctx.addIssue({
        code: 'custom',
        path: ['rules', i, 'name'],
        message: `duplicate rule name "${r.name}"`,
      });
    seen.add(r.name);
    known(r, 'audience', ['rules', i], false);
    known(r, 'aggregate_audience', ['rules', i], true);
  });
  if (isMap(p.default)) {
    known(p.default, 'audience', ['default'], false);
    known(p.default, 'aggregate_audience', ['default'], true);
  }
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export type Policy = z.output<typeof policySchema>;
export type PolicyRule = Policy['rules'][number];
export type RuleMatch = PolicyRule['match'];
