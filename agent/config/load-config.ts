// Loading a config file: parse (keeping node ranges), substitute, validate every section against
// the registry's schemas, check the pipelines, and either hand the runtime an AgentConfig with all
// defaults applied or hand the user every error, sorted by position.
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, type Node } from 'yaml';
import type { ConfigError } from '../kit/config/config-error.ts';
import type { LoadContext } from '../kit/config/load-context.ts';
import { validateOptions } from '../kit/config/validate-options.ts';
import { parseYaml, readYamlFile, sortedErrors, yamlValues } from '../kit/config/yaml-file.ts';
import type { Registry } from '../registry.ts';
import { checkComponentSections } from './component-sections.ts';
import { checkGuardingProcessors } from './guarding-checks.ts';
import { checkPipelines } from './pipeline-checks.ts';
import { preflight } from './preflight.ts';
import { type ServiceConfig, serviceSchema } from './service.ts';
import { substituteDocument } from './substitute.ts';
import type { LoadResult } from './types.ts';

export interface LoadOptions {
  /** Variables for `${env:...}`; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** The file's text, when the caller already has it (the file is then not read). */
  text?: string;
  /**
   * Also check what `run` needs from the machine (preflight.ts: TLS files, keyrings, addresses);
   * `run`, `validate` and reload set it.
   */
  checkFiles?: boolean;
}

const SECTIONS = ['receivers', 'processors', 'exporters', 'service'];

export function loadConfig(file: string, registry: Registry, options: LoadOptions = {}): LoadResult {
  if (options.text !== undefined) return loadConfigText(options.text, file, registry, options);
  const read = readYamlFile(file, 'config file');
  return read.ok ? loadConfigText(read.text, file, registry, options) : read;
}

/** `fileName` names the source in errors; `${file:...}` paths resolve from its directory. */
export function loadConfigText(
  text: string,
  fileName: string,
  registry: Registry,
  options: LoadOptions = {},
): LoadResult {
  const parsed = parseYaml(text, fileName);
  if (!parsed.ok) return failed(parsed.errors);
  const { source } = parsed;
  const root = source.doc.contents;
  const baseDir = fileName.startsWith('<') ? process.cwd() : dirname(resolve(fileName));
  const substituted = substituteDocument(root, { env: options.env ?? process.env, baseDir });
  const failedNodes = new Set<Node>(substituted.errors.map((e) => e.node));
  const ctx: LoadContext = { source, ...substituted, failed: failedNodes };
  const errors = [...parsed.errors, ...substituted.errors.map((e) => source.errorAt(e.node, e.message))];

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
  const js = yamlValues(source, errors) as Record<string, unknown> | undefined;
  if (js === undefined) return failed(errors);
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
  const config = { file: fileName, receivers: receiver, processors: processor, exporters: exporter, service };
  if (options.checkFiles) {
    const problems = preflight(config, source);
    if (problems.length > 0) return failed(problems);
  }
  return { ok: true, config };
}

function failed(errors: ConfigError[]): LoadResult {
  return { ok: false, errors: sortedErrors(errors) };
}
