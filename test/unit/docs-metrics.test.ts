// docs/operations.md must list every self-metric the code declares, so operators never meet an
// undocumented series.
import { globSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

it('documents every declared meshtail_* metric', () => {
  const declared = new Set<string>();
  for (const file of globSync('{agent,receivers,processors,exporters}/**/*.ts')) {
    for (const m of readFileSync(file, 'utf8').matchAll(/'(meshtail_[a-z0-9_]+)'/g)) declared.add(m[1]!);
  }
  const doc = readFileSync('docs/operations.md', 'utf8');
  expect(declared.size).toBeGreaterThan(10);
  expect([...declared].filter((name) => !doc.includes(`\`${name}\``))).toEqual([]);
});
