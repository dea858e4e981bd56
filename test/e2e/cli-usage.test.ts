// The command line's manners: --help and --version answer on stdout with exit 0, each command has its
// own help, and every usage error (unknown command, unknown flag, missing value) is one line plus the
// usage on stderr with exit 2, never a stack trace.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/meshtail-process.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const meshtail = (...args: string[]) => runCli(args);

describe('meshtail --help and --version', () => {
  it('--version prints the version in package.json', () => {
    const r = meshtail('--version');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`meshtail ${pkg.version}\n`);
    expect(r.stderr).toBe('');
  });

  it('--help lists every command', () => {
    const r = meshtail('--help');
    expect(r.status).toBe(0);
    for (const command of ['run', 'validate', 'demo', 'keys', 'decrypt']) {
      expect(r.stdout).toMatch(new RegExp(`^  meshtail ${command}\\b`, 'm'));
    }
  });

  it.each(['run', 'validate', 'demo', 'keys', 'decrypt'])(
    '%s: COMMAND --help and help COMMAND print its help',
    (command) => {
      const a = meshtail(command, '--help');
      const b = meshtail('help', command);
      expect(a.status).toBe(0);
      expect(b.status).toBe(0);
      expect(a.stdout).toMatch(new RegExp(`^Usage: meshtail ${command}\\b`));
      expect(b.stdout).toBe(a.stdout);
    },
  );
});

describe('usage errors: one line, the usage, exit 2', () => {
  const cases: Array<[string, string[], RegExp, RegExp]> = [
    ['no command', [], /^meshtail: no command given$/, /^Usage:$/m],
    ['an unknown command', ['frobnicate'], /^meshtail: unknown command "frobnicate"$/, /^Usage:$/m],
    ['an unknown top-level flag', ['--frob'], /^meshtail: unknown option "--frob"$/, /^Usage:$/m],
    [
      'an unknown flag of run',
      ['run', '-c', 'x.yaml', '--frob'],
      /^meshtail run: .*--frob/,
      /^Usage: meshtail run/m,
    ],
    [
      'a missing value',
      ['validate', '-c'],
      /^meshtail validate: .*argument missing/,
      /^Usage: meshtail validate/m,
    ],
    ['a missing -c', ['run'], /^meshtail run: -c FILE is required$/, /^Usage: meshtail run/m],
    [
      'a stray argument',
      ['validate', '-c', 'x.yaml', 'extra'],
      /^meshtail validate: .*extra/,
      /^Usage: meshtail validate/m,
    ],
    ['help for an unknown command', ['help', 'frob'], /^meshtail help: unknown command "frob"$/, /^Usage:$/m],
  ];
  it.each(cases)('%s', (_name, args, firstLine, usage) => {
    const r = meshtail(...args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const [line, ...rest] = r.stderr.split('\n');
    expect(line).toMatch(firstLine);
    expect(rest.join('\n')).toMatch(usage);
    // No stack trace: no "    at " frames, no error class names.
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).not.toMatch(/TypeError|Error:/);
  });
});
