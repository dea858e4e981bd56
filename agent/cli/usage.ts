// The command line's words: each command's options and help text, the overview, and the version.
// agent/cli.ts parses with these; keys and decrypt parse their own subcommands (their files).
import { readFileSync } from 'node:fs';
import type { ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandSpec {
  summary: string;
  usage: string;
  options: Options;
}

const help = { type: 'boolean', short: 'h' } as const;

export const COMMANDS: Record<string, CommandSpec> = {
  run: {
    summary: 'run the pipelines in FILE (SIGTERM/SIGINT drain and exit 0)',
    usage: `Usage: meshtail run -c FILE

Runs the pipelines of FILE until SIGTERM or SIGINT, then drains (service.shutdown_timeout) and exits 0.

Options:
  -c, --config FILE   the configuration (YAML); required
  -h, --help          this help
`,
    options: { config: { type: 'string', short: 'c' }, help },
  },
  validate: {
    summary: 'check FILE; exit 0, or 2 with FILE:LINE:COL: message lines',
    usage: `Usage: meshtail validate -c FILE

Checks FILE without starting anything: exit 0 when valid, 2 with one FILE:LINE:COL: message line per error.

Options:
  -c, --config FILE   the configuration (YAML); required
  -h, --help          this help
`,
    options: { config: { type: 'string', short: 'c' }, help },
  },
  demo: {
    summary: 'a simulated mesh through the full pipeline, shown live',
    usage: `Usage: meshtail demo [--duration 60s] [--plain]

Runs a simulated mesh through the full pipeline and shows what comes out, live.

Options:
  --duration D        how long to run (e.g. 30s, 2m); default 60s
  --plain             plain text output, no terminal UI
  -h, --help          this help
`,
    options: { duration: { type: 'string' }, plain: { type: 'boolean' }, help },
  },
  keys: {
    summary: 'manage an encryption keyring (kids only, never keys)',
    usage: `Usage: meshtail keys generate|rotate --dir DIR (--tenant T | --default) --private-out FILE
       meshtail keys generate|rotate --dir DIR [--symmetric | --pseudonym]
       meshtail keys list --dir DIR

Creates, rotates or lists the keyring in DIR; prints key ids, never keys. A new keyring is
per-tenant: an X25519 key pair per tenant, the private key written once (0600) to FILE, only the
public key into DIR. --symmetric makes a symmetric keyring instead (docs/encryption.md).
`,
    options: {},
  },
  decrypt: {
    summary: 'open the encrypted fields of OTLP/JSON (file exporter output), audited',
    usage: `Usage: meshtail decrypt (--keys DIR | --private-key FILE ...) --audit-log FILE [--in FILE|-] [--out FILE|-] [--who NAME] [--skip-failed]

Opens the encrypted fields of OTLP/JSON records (the file exporter's output); every opening is audited.
A --private-key opens its own tenant's records only; the rest stay sealed (exit 3).
`,
    options: {},
  },
};

export const USAGE = `meshtail — a node agent for service-mesh logs

Usage:
  meshtail run -c FILE        ${COMMANDS.run?.summary}
  meshtail validate -c FILE   ${COMMANDS.validate?.summary}
  meshtail demo [--duration 60s] [--plain]
                              ${COMMANDS.demo?.summary}
  meshtail keys generate|rotate|list --dir DIR
                              ${COMMANDS.keys?.summary}
  meshtail decrypt (--keys DIR | --private-key FILE ...) --audit-log FILE [--in FILE|-] [--out FILE|-] [--who NAME] [--skip-failed]
                              ${COMMANDS.decrypt?.summary}
  meshtail help [COMMAND]     this overview, or a command's help (also COMMAND --help)
  meshtail --version          the version
`;

/** The version in package.json, which ships beside agent/ in the image and the npm package. */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** parseArgs' messages run on with advice about `--`; the first sentence is the one a user needs. */
export function firstSentence(message: string): string {
  const end = message.indexOf('. ');
  return end === -1 ? message : message.slice(0, end + 1);
}
