// The policy file is validated like the pipeline: unknown keys rejected, every error at once as
// FILE:LINE:COL, and `meshtail validate` reports them through the rbac processor's options.
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../../../agent/config/load-config.ts';
import { formatConfigError } from '../../../../agent/kit/config/config-error.ts';
import { Registry } from '../../../../agent/registry.ts';
import { rbacConfig } from '../../../../processors/rbac/config.ts';
import { rbacFactory } from '../../../../processors/rbac/factory.ts';
import { loadPolicyFile, loadPolicyText } from '../../../../processors/rbac/policy-file.ts';
import { POLICY } from './records.ts';

const fixture = (name: string) => new URL(`../../../fixtures/rbac/${name}.yaml`, import.meta.url).pathname;

function errorsOf(name: string): string[] {
  const result = loadPolicyFile(fixture(name));
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors.map((e) => formatConfigError(e).replace(fixture(name), name));
}

describe('policy file', () => {
  it('loads the example policy', () => {
    const result = loadPolicyFile(POLICY);
    expect(result.ok && result.policy.rules.map((r) => r.name)).toEqual([
      'denials',
      'payments',
      'reviews-errors',
      'health',
    ]);
  });

  it('rejects unknown keys at the key', () => {
    expect(errorsOf('unknown-keys')).toEqual([
      'unknown-keys:5:14: unknown option "rules[0].match.namespce" for rbac policy; expected one of: namespace, service, source, principal, path, status, direction, classification, attributes, resource',
      'unknown-keys:7:5: unknown option "rules[0].audiense" for rbac policy; expected one of: name, match, tenant, classification, audience, aggregate_audience',
    ]);
  });

  it('reports every wrong value and reference at once, in file order', () => {
    expect(errorsOf('bad-values')).toEqual([
      'bad-values:4:18: invalid option "roles.Team-Payments" for rbac policy: expected a role name like "sre" or "team:payments" (got a map)',
      'bad-values:7:22: invalid option "rules[0].match.status" for rbac policy: expected a status like 404, "5xx" or "500-504" (got "5x3")',
      `bad-values:8:13: invalid option "rules[0].tenant" for rbac policy: expected a tenant id: 1-150 letters, digits or !-_.*'() (Loki's tenant id rules) (got "pay/ments")`,
      'bad-values:9:21: invalid option "rules[0].classification" for rbac policy: expected one of: public, internal, confidential, restricted (got "secret")',
      'bad-values:10:21: invalid option "rules[0].audience[1]" for rbac policy: unknown role "auditor"; expected one of: sre, manager, Team-Payments (got "auditor")',
      'bad-values:11:26: invalid option "rules[0].aggregate_audience[0]" for rbac policy: role "manager" reads aggregates, so it needs a "tenant" under roles (got "manager")',
      'bad-values:12:11: invalid option "rules[1].name" for rbac policy: duplicate rule name "payments" (got "payments")',
      'bad-values:14:66: invalid option "default.audience" for rbac policy: expected at least 1 item (got a list)',
    ]);
  });

  it('names a missing section and a YAML syntax error', () => {
    expect(errorsOf('missing-default')).toEqual([
      'missing-default:1:1: missing required option "default" for rbac policy; expected object',
    ]);
    expect(errorsOf('syntax')).toEqual([
      'syntax:3:1: YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }',
    ]);
  });

  it('says when the file cannot be read', () => {
    const result = loadPolicyFile('/nonexistent/rbac.yaml');
    expect(!result.ok && result.errors.map(formatConfigError)).toEqual([
      '/nonexistent/rbac.yaml:1:1: cannot read the policy file (ENOENT)',
    ]);
  });

  it('names inline text <policy_inline>', () => {
    const result = loadPolicyText('roles: {}\nrules: []\ndefault: { tenant: a }\n', '<policy_inline>');
    expect(!result.ok && result.errors.map(formatConfigError)).toEqual([
      '<policy_inline>:3:1: missing required option "default.audience" for rbac policy; expected list of string',
      '<policy_inline>:3:1: missing required option "default.classification" for rbac policy; expected one of: public, internal, confidential, restricted',
    ]);
  });
});

describe('rbac options', () => {
  it('takes exactly one of policy and policy_inline', () => {
    expect(rbacConfig.safeParse({}).success).toBe(false);
    expect(rbacConfig.safeParse({ policy: POLICY, policy_inline: 'x' }).success).toBe(false);
    const parsed = rbacConfig.parse({ policy: POLICY });
    expect(parsed.document.default.tenant).toBe('platform');
  });

  it('makes `meshtail validate` report the policy file errors, positioned in both files', () => {
    const registry = new Registry([rbacFactory]);
    const pipeline = `processors:\n  rbac:\n    policy: ${fixture('unknown-keys')}\nservice:\n  pipelines: {}\n`;
    const result = loadConfigText(pipeline, 'pipeline.yaml', registry);
    const lines = result.ok ? [] : result.errors.map(formatConfigError);
    const at = `pipeline.yaml:3:13: invalid option "policy" for rbac: ${fixture('unknown-keys')}`;
    expect(lines.filter((l) => l.includes('for rbac:')).map((l) => l.replace(/ \(got .*\)$/, ''))).toEqual([
      `${at}:5:14: unknown option "rules[0].match.namespce" for rbac policy; expected one of: namespace, service, source, principal, path, status, direction, classification, attributes, resource`,
      `${at}:7:5: unknown option "rules[0].audiense" for rbac policy; expected one of: name, match, tenant, classification, audience, aggregate_audience`,
    ]);
  });
});
