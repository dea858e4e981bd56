// Turns zod issues into ConfigErrors at the most precise node: the key for an unknown option, the
// value for a wrong one, the parent map's key for a missing one. Messages say what was expected,
// in the same type words the generated docs use, and show what was received only when it was
// written in the file (a substituted value may be a secret).
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { ConfigError } from './config-error.ts';
import type { LoadContext } from './load-context.ts';
import type { z } from './schema.ts';
import { objectKeys, schemaAt, typeName } from './schema-walk.ts';
import type { ConfigPath, Located } from './yaml-source.ts';

/** One validated value: a component's options or the service section. */
export interface OptionsScope {
  ctx: LoadContext;
  /** How errors name the owner: `filelog/istio`, `service`. */
  owner: string;
  schema: z.ZodType;
  /** The owner's key node (the component id) and its value node. */
  root: Located;
}

type Issue = z.core.$ZodIssue;

/** `tls.ca_file`, `include[0]`. */
export function optionName(path: ConfigPath): string {
  return path
    .map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? String(s) : `.${String(s)}`))
    .join('');
}

export function issueToErrors(issue: Issue, scope: OptionsScope, missing: boolean): ConfigError[] {
  const { source } = scope.ctx;
  const path = issue.path as ConfigPath;
  if (issue.code === 'unrecognized_keys') {
    const expected = objectKeys(schemaAt(scope.schema, path)).join(', ');
    return issue.keys.map((key) => {
      const at = source.locate(scope.root.value, [...path, key]).key;
      return source.errorAt(
        at ?? scope.root.key,
        `unknown option "${optionName([...path, key])}" for ${scope.owner}; expected one of: ${expected}`,
      );
    });
  }
  const schema = schemaAt(scope.schema, path);
  const expected = schema ? typeName(schema) : 'expected' in issue ? String(issue.expected) : 'a valid value';
  if (missing) {
    const parent = path.length <= 1 ? scope.root : source.locate(scope.root.value, path.slice(0, -1));
    return [
      source.errorAt(
        parent.key ?? parent.value ?? scope.root.key,
        `missing required option "${optionName(path)}" for ${scope.owner}; expected ${expected}`,
      ),
    ];
  }
  const located = source.locate(scope.root.value, path);
  const node = located.value ?? source.nearest(scope.root.value, path).value ?? scope.root.key;
  if (node && scope.ctx.failed.has(node)) return [];
  const secret = node !== undefined && scope.ctx.tainted.has(node);
  const what = path.length > 0 ? `option "${optionName(path)}"` : 'options';
  const got = secret || !located.value ? '' : ` (got ${describeNode(located.value)})`;
  return [
    source.errorAt(node, `invalid ${what} for ${scope.owner}: ${detail(issue, expected, secret)}${got}`),
  ];
}

function detail(issue: Issue, expected: string, secret: boolean): string {
  switch (issue.code) {
    case 'invalid_value':
      return `expected one of: ${issue.values.map(String).join(', ')}`;
    case 'too_small':
    case 'too_big':
      return bound(issue);
    case 'invalid_format':
      return `expected a ${issue.format}`;
    case 'not_multiple_of':
      return `expected a multiple of ${String(issue.divisor)}`;
    case 'custom':
      // Custom messages (durations, sizes, refinements) may quote the value; a secret gets the type only.
      return secret ? `expected ${expected}` : issue.message;
    default:
      return `expected ${expected}`;
  }
}

function bound(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>): string {
  const n = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
  const most = issue.code === 'too_big';
  if (issue.origin === 'array' || issue.origin === 'set') {
    return `expected ${most ? 'at most' : 'at least'} ${n} item${n === 1 ? '' : 's'}`;
  }
  if (issue.origin === 'string') {
    if (!most && n === 1) return 'expected a non-empty string';
    return `expected ${most ? 'at most' : 'at least'} ${n} characters`;
  }
  const op = most ? (issue.inclusive ? '<=' : '<') : issue.inclusive ? '>=' : '>';
  return `expected a number ${op} ${n}`;
}

function describeNode(node: Node): string {
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (!isScalar(node)) return 'an alias';
  const v = node.value;
  if (typeof v !== 'string') return String(v);
  return JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v);
}
