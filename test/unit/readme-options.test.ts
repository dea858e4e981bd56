// A component README that carries an options table between `<!-- options:start -->` and
// `<!-- options:end -->` gets it generated from the component's config schema; this test fails
// when one is stale. Regenerate: UPDATE_READMES=1 npx vitest run test/unit/readme-options.test.ts
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { optionRows } from '../../agent/config/option-rows.ts';
import { defaultRegistry } from '../../agent/default-registry.ts';
import type { AnyFactory } from '../../agent/kit/component.ts';

const START = /<!-- options:start[^>]*-->\n/;
const END = '<!-- options:end -->';
const FOLDER = { receiver: 'receivers', processor: 'processors', exporter: 'exporters' } as const;

function table(factory: AnyFactory): string {
  const esc = (s: string) => s.replaceAll('|', '\\|').replaceAll(/\s*\n\s*/g, ' ');
  const def = (s: string) => (s === 'required' || s === '—' ? s : `\`${esc(s)}\``);
  const rows = optionRows(factory.config).map(
    (r) => `| \`${r.name}\` | ${esc(r.type)} | ${def(r.default)} | ${esc(r.description)} |`,
  );
  return `| option | type | default | description |\n|---|---|---|---|\n${rows.join('\n')}\n`;
}

/** Tables may be padded by a formatter; compare cell contents, not alignment. */
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

const withTables = defaultRegistry.all().filter((f) => {
  const path = new URL(`../../${FOLDER[f.kind]}/${f.type}/README.md`, import.meta.url);
  return existsSync(path) && START.test(readFileSync(path, 'utf8'));
});

it('finds the generated option tables (exporters, rbac, redact, ...)', () => {
  expect(withTables.length).toBeGreaterThanOrEqual(6);
});

for (const factory of withTables) {
  const folder = `${FOLDER[factory.kind]}/${factory.type}`;
  it(`${folder}/README.md lists every option of config.ts`, () => {
    const path = new URL(`../../${folder}/README.md`, import.meta.url);
    const readme = readFileSync(path, 'utf8');
    const start = START.exec(readme)!;
    const end = readme.indexOf(END);
    expect(end).toBeGreaterThan(start.index);
    const want = `${readme.slice(0, start.index + start[0].length)}${table(factory)}${readme.slice(end)}`;
    if (process.env.UPDATE_READMES === '1') writeFileSync(path, want);
    else expect(normalize(readme)).toBe(normalize(want));
  });
}
