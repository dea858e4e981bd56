// Renders docs/configuration.md from the registry and the service schema: the reference is the
// schemas, so it cannot drift from what the loader accepts (a test fails when the file is stale).
import type { AnyFactory, ComponentKind } from '../kit/component.ts';
import type { Registry } from '../registry.ts';
import { collectorAliases } from './collector-names.ts';
import { type OptionRow, optionRows } from './option-rows.ts';
import { serviceSchema } from './service.ts';

const KINDS: readonly { kind: ComponentKind; title: string }[] = [
  { kind: 'receiver', title: 'Receivers' },
  { kind: 'processor', title: 'Processors' },
  { kind: 'exporter', title: 'Exporters' },
];

const INTRO = `# Configuration reference

<!-- Generated from the component schemas by \`npm run docs\` (agent/config/docs.ts). Do not edit. -->

A meshtail config has the OpenTelemetry Collector's shape: \`receivers\`, \`processors\` and
\`exporters\` define components by id (\`type\` or \`type/name\`, e.g. \`filelog/istio\`), and
\`service.pipelines\` wires them into pipelines (\`logs\`, \`traces\`, \`metrics\` or \`<signal>/<name>\`).
A component's value may be empty (\`mesh_parse:\`) to take every default. Every defined component must
be used by a pipeline, and must support that pipeline's signal.

Values may use \`\${env:VAR}\`, \`\${env:VAR:-default}\`, \`\${file:PATH}\` (relative to the config file,
trailing newline removed) and \`$$\` for a literal \`$\`. A plain (unquoted) value that is exactly one
\`\${...}\` takes the type its text has in YAML (\`port: \${env:PORT}\` is a number); quote it to keep a
string. Durations are written \`200ms\`, \`5s\`, \`1h30m\` (a bare number is milliseconds); sizes
\`256KiB\`, \`1MiB\`, \`10MB\` (a bare number is bytes). Unknown keys are errors.
\`meshtail validate -c FILE\` reports every problem as \`FILE:LINE:COL: message\`.
`;

export function renderConfigurationDocs(registry: Registry): string {
  const parts = [INTRO, renderAliases()];
  for (const { kind, title } of KINDS) {
    parts.push(`## ${title}\n`);
    const types = registry.types(kind);
    if (types.length === 0) parts.push(`No ${kind}s are registered yet.\n`);
    for (const type of types) parts.push(renderComponent(registry.get(kind, type)!));
  }
  parts.push('## service\n');
  parts.push("Pipelines, the state directory, the worker pool and the agent's own telemetry.\n");
  parts.push(renderTable(optionRows(serviceSchema)));
  return parts.join('\n');
}

function renderAliases(): string {
  const rows = collectorAliases().map((a) => `| ${a.kind} | \`${a.alias}\` | [\`${a.type}\`](#${a.type}) |`);
  return [
    '## Collector names\n',
    "A Collector config carries over: these types are accepted under the OpenTelemetry Collector's",
    'names, with the same options (`otlp/gateway:` is an `otlp_grpc` exporter named `gateway`). The',
    "Collector's `batch` and `memory_limiter` processors are meshtail processors (below). A Collector",
    'component meshtail does not have is named as such by `meshtail validate`, with what to use instead.\n',
    '| kind | Collector type | meshtail type |\n|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

function renderComponent(factory: AnyFactory): string {
  const rows = optionRows(factory.config);
  const lines = [
    `### ${factory.type}\n`,
    `${factory.description}\n`,
    `Signals: ${factory.signals.join(', ')}.\n`,
  ];
  lines.push(rows.length > 0 ? renderTable(rows) : 'No options.\n');
  return lines.join('\n');
}

function renderTable(rows: OptionRow[]): string {
  const head = '| option | type | default | description |\n|---|---|---|---|\n';
  const body = rows
    .map((r) => `| \`${r.name}\` | ${cell(r.type)} | ${code(r.default)} | ${cell(r.description)} |`)
    .join('\n');
  return `${head}${body}\n`;
}

/** Defaults in code spans, except the words that are not values. */
function code(text: string): string {
  return text === 'required' || text === '—' ? text : `\`${text.replaceAll('|', '\\|')}\``;
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll(/\s*\n\s*/g, ' ');
}
