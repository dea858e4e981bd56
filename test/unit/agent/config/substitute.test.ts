// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the substitution syntax under test.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandText } from '../../../../agent/config/substitute.ts';

const baseDir = mkdtempSync(join(tmpdir(), 'meshtail-subst-'));
writeFileSync(join(baseDir, 'token'), 'abc\n\n');
writeFileSync(join(baseDir, 'max'), 'x'.repeat(1024 * 1024));
writeFileSync(join(baseDir, 'big'), 'x'.repeat(1024 * 1024 + 1));
mkfifoSync(join(baseDir, 'fifo'));
function mkfifoSync(path: string) {
  execFileSync('mkfifo', [path]);
}
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
    ['${file:big}', 'cannot read file "big" for ${file:...} substitution (larger than 1 MiB)'],
    ['${file:/dev/zero}', 'cannot read file "/dev/zero" for ${file:...} substitution (not a regular file)'],
    ['${file:fifo}', 'cannot read file "fifo" for ${file:...} substitution (not a regular file)'],
    [
      '${env:A',
      'unterminated "${" in substitution; expected ${env:VAR}, ${env:VAR:-default}, ${file:PATH}, or $$ for a literal $',
    ],
  ])('%s fails', (text, message) => {
    expect(expandText(text, ctx)).toEqual({ ok: false, message });
  });

  it('reads a file of exactly 1 MiB', () => {
    const got = expandText('${file:max}', ctx);
    expect(got.ok && got.text.length).toBe(1024 * 1024);
  });
});
