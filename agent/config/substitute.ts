// `${env:VAR}`, `${env:VAR:-default}`, `${file:PATH}` and `$$`, expanded in place on the document's
// scalar nodes before validation, so every later error still points at the scalar the user wrote.
// Which scalars came from substitution is remembered: their values may be secrets and must never be
// echoed in an error message.
import { resolve } from 'node:path';
import { isScalar, type Node, parseDocument, type Scalar, visit } from 'yaml';
import { readSecretFile } from './read-secret-file.ts';

export interface SubstitutionContext {
  env: NodeJS.ProcessEnv;
  /** Where `${file:PATH}` resolves relative paths: the config file's directory. */
  baseDir: string;
}

export interface SubstitutionResult {
  /** Scalars whose value came (partly) from the environment or a file. */
  tainted: Set<Node>;
  /** Scalars re-parsed to a non-string (`port: ${env:PORT}` → 8080) and the text they came from. */
  reparsed: Map<Node, string>;
  errors: { node: Node; message: string }[];
}

type Expansion =
  | { ok: true; text: string; substituted: boolean; whole: boolean }
  | { ok: false; message: string };

const ENV_REF = /^env:([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;
const FILE_REF = /^file:(.+)$/s;
// biome-ignore lint/suspicious/noTemplateCurlyInString: the message shows the syntax to write.
const SYNTAX = 'expected ${env:VAR}, ${env:VAR:-default}, ${file:PATH}, or $$ for a literal $';

/** Expands every reference in one string. */
export function expandText(text: string, ctx: SubstitutionContext): Expansion {
  let out = '';
  let substituted = false;
  let references = 0;
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0 || dollar === text.length - 1) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const close = text.indexOf('}', dollar + 2);
      if (close < 0) return { ok: false, message: `unterminated "\${" in substitution; ${SYNTAX}` };
      const resolved = resolveReference(text.slice(dollar + 2, close), ctx);
      if (!resolved.ok) return resolved;
      out += resolved.text;
      substituted = true;
      references++;
      i = close + 1;
    } else {
      // A lone `$` (e.g. in a regex) stays as written, as in the Collector.
      out += '$';
      i = dollar + 1;
    }
  }
  const whole = references === 1 && /^\$\{[^}]*\}$/.test(text);
  return { ok: true, text: out, substituted, whole };
}

function resolveReference(ref: string, ctx: SubstitutionContext): Expansion {
  const env = ENV_REF.exec(ref);
  if (env) {
    const value = ctx.env[env[1]!] ?? env[2];
    if (value === undefined) {
      return {
        ok: false,
        message: `environment variable ${env[1]} is not set (write \${env:${env[1]}:-default} to give a default)`,
      };
    }
    return { ok: true, text: value, substituted: true, whole: false };
  }
  const file = FILE_REF.exec(ref);
  if (file) {
    const read = readSecretFile(resolve(ctx.baseDir, file[1]!));
    if (!read.ok)
      return {
        ok: false,
        message: `cannot read file "${file[1]}" for \${file:...} substitution (${read.reason})`,
      };
    // Secret files conventionally end with a newline that is not part of the secret.
    return { ok: true, text: read.text.replace(/\r?\n$/, ''), substituted: true, whole: false };
  }
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(ref)) {
    return {
      ok: false,
      message: `unsupported substitution "\${${ref}}"; write \${env:${ref}} for an environment variable`,
    };
  }
  return { ok: false, message: `unsupported substitution "\${${ref}}"; ${SYNTAX}` };
}

/** Expands references in every value scalar of the document (keys are never substituted). */
export function substituteDocument(
  doc: Node | null | undefined,
  ctx: SubstitutionContext,
): SubstitutionResult {
  const result: SubstitutionResult = { tainted: new Set(), reparsed: new Map(), errors: [] };
  if (!doc) return result;
  visit(doc, {
    Scalar(key, node) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('$')) return;
      const expanded = expandText(node.value, ctx);
      if (!expanded.ok) {
        result.errors.push({ node, message: expanded.message });
        return;
      }
      if (expanded.substituted) result.tainted.add(node);
      applyExpansion(node, expanded.text, expanded.whole, result);
    },
  });
  return result;
}

/**
 * A plain scalar that is exactly one reference takes the type its text has in YAML, as the
 * Collector does; quoting the reference ("${env:PORT}") keeps it a string.
 */
function applyExpansion(node: Scalar, text: string, whole: boolean, result: SubstitutionResult): void {
  if (!whole || node.type !== 'PLAIN' || text === '') {
    node.value = text;
    return;
  }
  const parsed = parseDocument(text);
  const value = parsed.errors.length === 0 && isScalar(parsed.contents) ? parsed.contents.value : text;
  node.value = value;
  if (typeof value !== 'string') result.reparsed.set(node, text);
}
