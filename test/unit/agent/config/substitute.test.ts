// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the substitution syntax under test.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandText } from '../../../../agent/config/substitute.ts';

const baseDir = mkdtempSync(join(tmpdir(), 'meshtail-subst-'));
writeFileSync(join(baseDir, 'token'), 'abc\n\n');
const ctx = { env: { A: 'x', EMPTY: '' }, baseDir };

describe('expandText', () => {
  it.each([
    ['plain text', 'plain text', false, false],
    ['${env:A}', 'x', true, true],
    ['${env:A}-${env:A}', 'x-x', true, false],
    ['${env:NOPE:-fallback}', 'fallback', true, true],
    ['${env:NOPE:-a:b}', 'a:b', true, true],
    ['${env:EMPTY:-default}', '', true, true],
    ['$$', '$', false, false],
    ['$${env:A}', '${env:A}', false, false],
    ['^a$|b$', '^a$|b$', false, false],
    ['cost $', 'cost $', false, false],
    ['${file:token}', 'abc\n', true, true],
  ])('%s', (text, value, substituted, whole) => {
    expect(expandText(text, ctx)).toEqual({ ok: true, text: value, substituted, whole });
  });

  it.each([
    ['${env:NOPE}', 'environment variable NOPE is not set (write ${env:NOPE:-default} to give a default)'],
    [
      '${env:1BAD}',
      'unsupported substitution "${env:1BAD}"; expected ${env:VAR}, ${env:VAR:-default}, ${file:PATH}, or $$ for a literal $',
    ],
    ['${A}', 'unsupported substitution "${A}"; write ${env:A} for an environment variable'],
    ['${file:missing}', 'cannot read file "missing" for ${file:...} substitution (ENOENT)'],
    [
      '${env:A',
      'unterminated "${" in substitution; expected ${env:VAR}, ${env:VAR:-default}, ${file:PATH}, or $$ for a literal $',
    ],
  ])('%s fails', (text, message) => {
    expect(expandText(text, ctx)).toEqual({ ok: false, message });
  });
});
