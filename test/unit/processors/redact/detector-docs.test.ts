// docs/redaction.md lists every detector: each entity of the catalogue in the detector table and
// each row of the token catalogue with its source, so a detector added without docs fails here.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { ENTITIES } from '../../../../processors/redact/entity.ts';
import { TOKEN_CATALOGUE } from '../../../../processors/redact/token-catalogue.ts';

const doc = readFileSync(new URL('../../../../docs/redaction.md', import.meta.url), 'utf8');

it('every entity has a row in the detector table', () => {
  const missing = ENTITIES.filter((e) => !new RegExp(`^\\| [^|]*\`${e}\``, 'm').test(doc));
  expect(missing).toEqual([]);
});

it('every token catalogue row is listed with its source', () => {
  const missing = TOKEN_CATALOGUE.filter((f) => {
    const rows = doc.split('\n').filter((l) => l.startsWith(`| \`${f.id}\` `));
    return !rows.some((row) => row.includes(f.source));
  }).map((f) => f.id);
  expect(missing).toEqual([]);
  expect(TOKEN_CATALOGUE.every((f) => f.source.startsWith('https://'))).toBe(true);
});
