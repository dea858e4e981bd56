// The one schema vocabulary for every component's config (zod). A component declares each option
// once with its type, default and description; that declaration validates the YAML and generates
// docs/configuration.md. Durations and sizes are typed so the docs can say "duration"/"size".
// Messages never quote the value: the loader adds it, unless it came from ${env:...} (a secret).
import { z } from 'zod';
import { formatDuration, formatSize, parseDuration, parseSize } from './units.ts';

export { z };

/** A duration option ("200ms", "5s", "1h"); the component receives milliseconds. */
export function duration(defaultValue: string) {
  const ms = parseDuration(defaultValue);
  if (ms === undefined) throw new Error(`bad default duration ${defaultValue}`);
  return z
    .union([z.string(), z.number().nonnegative()])
    .transform((v, ctx) => {
      if (typeof v === 'number') return v;
      const parsed = parseDuration(v);
      if (parsed === undefined) {
        ctx.addIssue({ code: 'custom', message: 'expected a duration like "200ms", "5s" or "1h"' });
        return z.NEVER;
      }
      return parsed;
    })
    .default(ms)
    .meta({ unit: 'duration', defaultText: formatDuration(ms) });
}

/** A size option ("256KiB", "1MiB"); the component receives bytes. */
export function size(defaultValue: string) {
  const bytes = parseSize(defaultValue);
  if (bytes === undefined) throw new Error(`bad default size ${defaultValue}`);
  return z
    .union([z.string(), z.number().int().nonnegative()])
    .transform((v, ctx) => {
      if (typeof v === 'number') return v;
      const parsed = parseSize(v);
      if (parsed === undefined) {
        ctx.addIssue({ code: 'custom', message: 'expected a size like "256KiB" or "1MiB"' });
        return z.NEVER;
      }
      return parsed;
    })
    .default(bytes)
    .meta({ unit: 'size', defaultText: formatSize(bytes) });
}

/** A component's options object: unknown keys are errors. */
export function options<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject(shape);
}
