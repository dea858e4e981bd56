// The steps every YAML file meshtail loads goes through, for the pipeline config and for files a
// component loads itself (the rbac policy): read the file, parse it keeping node ranges, turn it
// into plain values, and hand back every error at once, sorted by position.
import { readFileSync } from 'node:fs';
import type { ConfigError } from './config-error.ts';
import { YamlSource } from './yaml-source.ts';

export type YamlText = { ok: true; text: string } | { ok: false; errors: ConfigError[] };

/** The file's text, or one error that names it as `noun` ("config file", "policy file"). */
export function readYamlFile(file: string, noun: string): YamlText {
  try {
    return { ok: true, text: readFileSync(file, 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    return {
      ok: false,
      errors: [{ file, line: 1, column: 1, message: `cannot read the ${noun} (${code})` }],
    };
  }
}

export type ParsedYaml =
  | { ok: true; source: YamlSource; errors: ConfigError[] }
  | { ok: false; errors: ConfigError[] };

/** The document with its node ranges, and its syntax errors; not ok when they leave nothing to check. */
export function parseYaml(text: string, fileName: string): ParsedYaml {
  const source = new YamlSource(fileName, text);
  const syntax = source.syntaxErrors();
  if (syntax.fatal) return { ok: false, errors: syntax.errors };
  return { ok: true, source, errors: [...syntax.errors] };
}

/** The document as plain values, or undefined with the reason added to `errors` (e.g. an alias bomb). */
export function yamlValues(source: YamlSource, errors: ConfigError[]): unknown {
  try {
    return source.doc.toJS() ?? {};
  } catch (err) {
    const message = `cannot read the YAML document: ${(err as Error).message}`;
    errors.push(source.errorAt(source.doc.contents ?? undefined, message));
    return undefined;
  }
}

/** Errors without repeats, in the order of the file. */
export function sortedErrors(errors: ConfigError[]): ConfigError[] {
  const seen = new Set<string>();
  const unique = errors.filter((e) => {
    const key = `${e.line}:${e.column}:${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort((a, b) => a.line - b.line || a.column - b.column || a.message.localeCompare(b.message));
}
