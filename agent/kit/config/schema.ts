// The one schema vocabulary for every component's config (zod). A component declares each option
// once with its type, default and description; that declaration validates the YAML and generates
// docs/configuration.md. Durations and sizes are typed so the docs can say "duration"/"size".
// Messages never quote the value: the loader adds it, unless it came from ${env:...} (a secret).
import { z } from 'zod';
import { formatDuration, formatSize, parseDuration, parseSize } from './units.ts';

export { z };

/** A duration option ("200ms", "5s", "1h"); the component receives milliseconds. */
export function duration(defaultValue: string) {
  return unitOption(defaultValue, {
    unit: 'duration',
    number: z.number().nonnegative(),
    parse: parseDuration,
    format: formatDuration,
    expected: 'expected a duration like "200ms", "5s" or "1h"',
  });
}

/** A size option ("256KiB", "1MiB"); the component receives bytes. */
export function size(defaultValue: string) {
  return unitOption(defaultValue, {
    unit: 'size',
    number: z.number().int().nonnegative(),
    parse: parseSize,
    format: formatSize,
    expected: 'expected a size like "256KiB" or "1MiB"',
  });
}

interface Unit {
  unit: 'duration' | 'size';
  /** What a plain number must be (it is taken as ms or bytes). */
  number: z.ZodNumber;
  parse(text: string): number | undefined;
  format(value: number): string;
  expected: string;
}

/** A number written with its unit, or a plain number; the default is written as the user would. */
function unitOption(defaultValue: string, u: Unit) {
  const value = u.parse(defaultValue);
  if (value === undefined) throw new Error(`bad default ${u.unit} ${defaultValue}`);
  return z
    .union([z.string(), u.number])
    .transform((v, ctx) => {
      if (typeof v === 'number') return v;
      const parsed = u.parse(v);
      if (parsed === undefined) {
        ctx.addIssue({ code: 'custom', message: u.expected });
        return z.NEVER;
      }
      return parsed;
    })
    .default(value)
    .meta({ unit: u.unit, defaultText: u.format(value) });
}

/** A component's options object: unknown keys are errors. */
export function options<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject(shape);
}
