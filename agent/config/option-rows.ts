// One row per option of a schema, nested options flattened to dotted names (`tls.insecure`,
// `routes[].tenant`, `pipelines.<id>.receivers`), each with its type, default and description.
import type { z } from '../kit/config/schema.ts';
import { children, coreKind, typeName, unwrap } from '../kit/config/schema-walk.ts';

type Schema = z.core.$ZodType;

export interface OptionRow {
  name: string;
  type: string;
  default: string;
  description: string;
}

export function optionRows(schema: Schema, prefix = ''): OptionRow[] {
  const rows: OptionRow[] = [];
  for (const [key, option] of Object.entries(children(schema).shape ?? {})) {
    const name = `${prefix}${key}`;
    const u = unwrap(option);
    rows.push({
      name,
      type: typeName(option),
      default: defaultText(option),
      description: u.meta.description ?? '',
    });
    rows.push(...nestedRows(option, name));
  }
  return rows;
}

/** Options inside an object, inside each value of a map of objects, or inside each list item. */
function nestedRows(option: Schema, name: string): OptionRow[] {
  const kind = coreKind(option);
  if (kind === 'object') return optionRows(option, `${name}.`);
  const { value, element } = children(option);
  if (kind === 'record' && value && coreKind(value) === 'object') return optionRows(value, `${name}.<id>.`);
  if (kind === 'array' && element && coreKind(element) === 'object') return optionRows(element, `${name}[].`);
  return [];
}

/** `required`, `—` (unset), or the default as a user would write it (`5s` rather than 5000). */
export function defaultText(option: Schema): string {
  const u = unwrap(option);
  if (u.meta.defaultText !== undefined) return u.meta.defaultText;
  if (u.defaultKind !== undefined) return formatValue(u.defaultValue);
  return u.optional || u.nullable ? '—' : 'required';
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return value === '' ? '""' : value;
  return JSON.stringify(value) ?? String(value);
}
