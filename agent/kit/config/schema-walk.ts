// Reading a zod 4 schema back: what type an option has, its default, its description, which keys an
// object accepts. The docs generator and the error messages both read schemas through this file, so
// the docs and the errors always name types the same way. It walks `_zod.def` (stable across zod 4)
// rather than z.toJSONSchema, which cannot represent the transforms behind durations and sizes.
import { z } from './schema.ts';

type Schema = z.core.$ZodType;

interface Def {
  type: string;
  innerType?: Schema;
  in?: Schema;
  out?: Schema;
  shape?: Record<string, Schema>;
  element?: Schema;
  valueType?: Schema;
  options?: Schema[];
  items?: Schema[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  defaultValue?: unknown;
  getter?: () => Schema;
}

export interface OptionMeta {
  description?: string;
  /** `duration` or `size` (agent/kit/config/schema.ts). */
  unit?: string;
  /** How the docs show the default when the parsed value (ms, bytes) would mislead. */
  defaultText?: string;
}

/** A schema with its wrappers peeled off: the type underneath and what the wrappers said. */
export interface Unwrapped {
  core: Schema;
  optional: boolean;
  nullable: boolean;
  /** `default` (an output value) or `prefault` (an input value parsed like the user's). */
  defaultKind?: 'default' | 'prefault';
  defaultValue?: unknown;
  meta: OptionMeta;
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

function defOf(schema: Schema): Def {
  return schema._zod.def as unknown as Def;
}

export function unwrap(schema: Schema): Unwrapped {
  const out: Unwrapped = { core: schema, optional: false, nullable: false, meta: {} };
  let current: Schema | undefined = schema;
  while (current) {
    // Outer layers win: a `.describe()` on the option overrides one inside a helper.
    const meta = z.globalRegistry.get(current) as OptionMeta | undefined;
    if (meta) out.meta = { ...meta, ...out.meta };
    const def = defOf(current);
    out.core = current;
    if (def.type === 'optional') out.optional = true;
    if (def.type === 'nullable') out.nullable = true;
    if ((def.type === 'default' || def.type === 'prefault') && out.defaultKind === undefined) {
      out.defaultKind = def.type;
      out.defaultValue = def.defaultValue;
    }
    if (WRAPPERS.has(def.type)) current = def.innerType;
    else if (def.type === 'lazy') current = def.getter?.();
    // A transform (duration, size) documents as its input; a preprocess as its output.
    else if (def.type === 'pipe') current = defOf(def.in!).type === 'transform' ? def.out : def.in;
    else break;
  }
  return out;
}

/** The schema of the option at `path` below `schema`, or undefined when the path leaves it. */
export function schemaAt(schema: Schema, path: readonly PropertyKey[]): Schema | undefined {
  let current: Schema | undefined = schema;
  for (let i = 0; i < path.length && current; i++) {
    const def = defOf(unwrap(current).core);
    const segment = path[i]!;
    if (def.type === 'object') current = def.shape?.[String(segment)];
    else if (def.type === 'record') current = def.valueType;
    else if (def.type === 'array') current = def.element;
    else if (def.type === 'tuple') current = def.items?.[Number(segment)];
    else if (def.type === 'union') {
      // The first alternative the rest of the path fits (a union of object shapes).
      const rest = path.slice(i);
      return def.options?.map((o) => schemaAt(o, rest)).find((s) => s !== undefined);
    } else return undefined;
  }
  return current;
}

/** The keys an object option accepts, in declaration order. */
export function objectKeys(schema: Schema | undefined): string[] {
  if (!schema) return [];
  const def = defOf(unwrap(schema).core);
  return def.type === 'object' ? Object.keys(def.shape ?? {}) : [];
}

/** `object`, `record`, `array`, ... of the type underneath the wrappers. */
export function coreKind(schema: Schema): string {
  return defOf(unwrap(schema).core).type;
}

/** Child schemas used by the docs to descend into nested options. */
export function children(schema: Schema): {
  shape?: Record<string, Schema>;
  element?: Schema;
  value?: Schema;
} {
  const def = defOf(unwrap(schema).core);
  return { shape: def.shape, element: def.element, value: def.valueType };
}

/** The type as users think of it: string, integer, duration, one of: a, b, list of string, ... */
export function typeName(schema: Schema): string {
  const u = unwrap(schema);
  const base = u.meta.unit ?? coreTypeName(u.core);
  return u.nullable ? `${base} or null` : base;
}

function coreTypeName(core: Schema): string {
  const def = defOf(core);
  switch (def.type) {
    case 'number':
      return (core as { isInt?: boolean }).isInt ? 'integer' : 'number';
    case 'enum':
      return `one of: ${Object.values(def.entries ?? {}).join(', ')}`;
    case 'literal':
      return `one of: ${def.values?.join(', ')}`;
    case 'array':
      return `list of ${typeName(def.element!)}`;
    case 'record':
      return `map of ${typeName(def.valueType!)}`;
    case 'union': {
      // A union of literals reads like an enum: one of: fast, safe.
      const literals = def.options?.map((o) => defOf(o)).filter((d) => d.type === 'literal');
      if (literals && literals.length === def.options?.length) {
        return `one of: ${literals.flatMap((d) => d.values ?? []).join(', ')}`;
      }
      return [...new Set(def.options?.map(typeName))].join(' or ');
    }
    case 'unknown':
      return 'any';
    default:
      return def.type;
  }
}
