// Each exporter README's options table is generated from its config schema; this test fails when
// a README is stale. Regenerate: UPDATE_READMES=1 npx vitest run test/unit/exporters/readme-options.test.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import type { ExporterFactory } from '../../../agent/component.ts';
import { optionRows } from '../../../agent/config/option-rows.ts';
import { debugFactory } from '../../../exporters/debug/index.ts';
import { fileFactory } from '../../../exporters/file/index.ts';
import { otlpGrpcFactory } from '../../../exporters/otlp_grpc/index.ts';
import { otlpHttpFactory } from '../../../exporters/otlp_http/index.ts';

const START = /<!-- options:start[^>]*-->\n/;
const END = '<!-- options:end -->';

function table(factory: ExporterFactory): string {
  const esc = (s: string) => s.replaceAll('|', '\\|').replaceAll(/\s*\n\s*/g, ' ');
  const def = (s: string) => (s === 'required' || s === '—' ? s : `\`${esc(s)}\``);
  const rows = optionRows(factory.config).map(
    (r) => `| \`${r.name}\` | ${esc(r.type)} | ${def(r.default)} | ${esc(r.description)} |`,
  );
  return `| option | type | default | description |\n|---|---|---|---|\n${rows.join('\n')}\n`;
}

/** Biome pads markdown tables; compare cell contents, not alignment. */
function normalize(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) =>
      line.startsWith('|')
        ? line
            .split(/(?<!\\)\|/)
            .map((cell) => cell.trim().replace(/^-+$/, '---'))
            .join('|')
        : line,
    )
    .join('\n');
}

for (const factory of [otlpGrpcFactory, otlpHttpFactory, fileFactory, debugFactory] as ExporterFactory[]) {
  it(`exporters/${factory.type}/README.md lists every option of config.ts`, () => {
    const path = new URL(`../../../exporters/${factory.type}/README.md`, import.meta.url);
    const readme = readFileSync(path, 'utf8');
    const start = START.exec(readme);
    const end = readme.indexOf(END);
    expect(start && end > start.index).toBeTruthy();
    const head = readme.slice(0, start!.index + start![0].length);
    const want = `${head}${table(factory)}${readme.slice(end)}`;
    if (process.env.UPDATE_READMES === '1') writeFileSync(path, want);
    else expect(normalize(readme)).toBe(normalize(want));
  });
}
