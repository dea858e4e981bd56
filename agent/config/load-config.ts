// Loading a config file: parse (keeping node ranges), substitute, validate every section against
// the registry's schemas, check the pipelines, and either hand the runtime an AgentConfig with all
// defaults applied or hand the user every error, sorted by position.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, type Node } from 'yaml';
import type { Registry } from '../registry.ts';
import { checkComponentSections } from './component-sections.ts';
import { checkGuardingProcessors } from './guarding-checks.ts';
import type { LoadContext } from './load-context.ts';
import { checkPipelines } from './pipeline-checks.ts';
import { type ServiceConfig, serviceSchema } from './service.ts';
import { substituteDocument } from './substitute.ts';
import type { ConfigError, LoadResult } from './types.ts';
import { validateOptions } from './validate-options.ts';
import { YamlSource } from './yaml-source.ts';

export interface LoadOptions {
  /** Variables for `${env:...}`; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** The file's text, when the caller already has it (the file is then not read). */
  text?: string;
}

const SECTIONS = ['receivers', 'processors', 'exporters', 'service'];

export function loadConfig(file: string, registry: Registry, options: LoadOptions = {}): LoadResult {
  let text = options.text;
  if (text === undefined) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      return {
        ok: false,
        errors: [{ file, line: 1, column: 1, message: `cannot read the config file (${code})` }],
      };
    }
  }
  return loadConfigText(text, file, registry, options);
}

/** `fileName` names the source in errors; `${file:...}` paths resolve from its directory. */
export function loadConfigText(
  text: string,
  fileName: string,
  registry: Registry,
  options: LoadOptions = {},
): LoadResult {
  const source = new YamlSource(fileName, text);
  const syntax = source.syntaxErrors();
  if (syntax.fatal) return failed(syntax.errors);
  const root = source.doc.contents;
  const baseDir = fileName.startsWith('<') ? process.cwd() : dirname(resolve(fileName));
  const substituted = substituteDocument(root, { env: options.env ?? process.env, baseDir });
  const failedNodes = new Set<Node>(substituted.errors.map((e) => e.node));
  const ctx: LoadContext = { source, ...substituted, failed: failedNodes };
  const errors = [...syntax.errors, ...substituted.errors.map((e) => source.errorAt(e.node, e.message))];

  if (root && !isMap(root) && !(isScalar(root) && root.value === null)) {
    errors.push(source.errorAt(root, `expected a map with the sections ${SECTIONS.join(', ')}`));
    return failed(errors);
  }
  for (const pair of isMap(root) ? root.items : []) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!SECTIONS.includes(key)) {
      const message = `unknown top-level key "${key}"; expected one of: ${SECTIONS.join(', ')}`;
      errors.push(source.errorAt(pair.key as Node, message));
    }
  }
  let js: Record<string, unknown>;
  try {
    js = (source.doc.toJS() ?? {}) as Record<string, unknown>;
  } catch (err) {
    // e.g. an alias bomb over yaml's maxAliasCount.
    errors.push(
      source.errorAt(root ?? undefined, `cannot read the YAML document: ${(err as Error).message}`),
    );
    return failed(errors);
  }
  const sections = checkComponentSections(ctx, registry, js);
  errors.push(...sections.errors);

  let service: ServiceConfig | undefined;
  const serviceAt = source.locate(root, ['service']);
  if (!serviceAt.key) {
    errors.push(
      source.errorAt(root ?? undefined, 'missing required section "service"; it defines the pipelines'),
    );
  } else {
    const scope = { ctx, owner: 'service', schema: serviceSchema, root: serviceAt };
    // A pipeline without receivers or exporters is reported by the pipeline checks, in their words.
    const checked = validateOptions(scope, js.service ?? {}, (issue, missing) => {
      const [first, , role] = issue.path;
      const list =
        first === 'pipelines' && issue.path.length === 3 && (role === 'receivers' || role === 'exporters');
      return list && (missing || issue.code === 'too_small');
    });
    if (checked.ok) service = checked.value as ServiceConfig;
    else errors.push(...checked.errors);
    errors.push(...checkPipelines(ctx, source.locate(serviceAt.value, ['pipelines']), sections.defined));
    const guarding = source.locate(serviceAt.value, ['workers', 'guarding_processors']);
    errors.push(...checkGuardingProcessors(ctx, guarding, sections.defined));
  }

  if (errors.length > 0 || !service) return failed(errors);
  const { receiver, processor, exporter } = sections.configs;
  return {
    ok: true,
    config: { file: fileName, receivers: receiver, processors: processor, exporters: exporter, service },
  };
}

function failed(errors: ConfigError[]): LoadResult {
  const seen = new Set<string>();
  const unique = errors.filter((e) => {
    const k = `${e.line}:${e.column}:${e.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  unique.sort((a, b) => a.line - b.line || a.column - b.column || a.message.localeCompare(b.message));
  return { ok: false, errors: unique };
}
