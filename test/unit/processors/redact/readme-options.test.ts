// processors/redact/README.md's options table is generated from config.ts, as the exporters' are
// (test/unit/exporters/readme-options.test.ts). Regenerate:
// UPDATE_READMES=1 npx vitest run test/unit/processors/redact/readme-options.test.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { optionRows } from '../../../../agent/config/option-rows.ts';
import { redactFactory } from '../../../../processors/redact/index.ts';

const START = /<!-- options:start[^>]*-->\n/;
const END = '<!-- options:end -->';

function table(): string {
  const esc = (s: string) => s.replaceAll('|', '\\|').replaceAll(/\s*\n\s*/g, ' ');
  const def = (s: string) => (s === 'required' || s === '—' ? s : `\`${esc(s)}\``);
  const rows = optionRows(redactFactory.config).map(
    (r) => `| \`${r.name}\` | ${esc(r.type)} | ${def(r.default)} | ${esc(r.description)} |`,
  );
  return `| option | type | default | description |\n|---|---|---|---|\n${rows.join('\n')}\n`;
}

const normalize = (markdown: string) =>
  markdown
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

it('processors/redact/README.md lists every option of config.ts', () => {
  const path = new URL('../../../../processors/redact/README.md', import.meta.url);
  const readme = readFileSync(path, 'utf8');
  const start = START.exec(readme);
  const end = readme.indexOf(END);
  expect(start && end > start.index).toBeTruthy();
  const want = `${readme.slice(0, start!.index + start![0].length)}${table()}${readme.slice(end)}`;
  if (process.env.UPDATE_READMES === '1') writeFileSync(path, want);
  else expect(normalize(readme)).toBe(normalize(want));
});
