// meshtail's command line: run, validate, demo, and the operator tools keys and decrypt. Run with Node 24 (bin/meshtail.js makes sure).
import { parseArgs } from 'node:util';
import { processIo } from './cli/cli-io.ts';

const USAGE = `meshtail — a node agent for service-mesh logs

Usage:
  meshtail run -c FILE        run the pipelines in FILE (SIGTERM/SIGINT drain and exit 0)
  meshtail validate -c FILE   check FILE; exit 0, or 2 with FILE:LINE:COL: message lines
  meshtail demo [--duration 60s] [--plain]
                              a simulated mesh through the full pipeline, shown live
  meshtail keys generate|rotate|list --dir DIR
                              manage an encryption keyring (kids only, never keys)
  meshtail decrypt --keys DIR --audit-log FILE [--in FILE|-] [--out FILE|-] [--who NAME] [--skip-failed]
                              open the encrypted fields of OTLP/JSON (file exporter output), audited
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // The operator tools take their own options (subcommands, file names); loaded only when used.
  if (command === 'keys') {
    const { runKeys } = await import('./cli/keys-command.ts');
    return runKeys(rest, processIo());
  }
  if (command === 'decrypt') {
    const { runDecrypt } = await import('./cli/decrypt-command.ts');
    return runDecrypt(rest, processIo());
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      config: { type: 'string', short: 'c' },
      duration: { type: 'string' },
      plain: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
  });
  if (!command || command === 'help' || values.help) {
    process.stdout.write(USAGE);
    return command ? 0 : 1;
  }
  if (command === 'run' || command === 'validate') {
    if (!values.config) {
      process.stderr.write(`meshtail ${command}: -c FILE is required\n`);
      return 1;
    }
    // Loaded here, not at the top: the registry pulls in every component (~1.5 s), which the
    // operator tools do not need.
    if (command === 'run') {
      (await import('./cli/v8-flags.ts')).tuneV8(); // may start the process over (v8-flags.ts)
      return (await import('./cli/run-command.ts')).runCommand(values.config);
    }
    const { defaultRegistry } = await import('./components.ts');
    const { runValidate } = await import('./config/validate-command.ts');
    return runValidate(values.config, defaultRegistry, { stdout: process.stdout, stderr: process.stderr });
  }
  if (command === 'demo') {
    const { runDemo } = await import('./demo/demo-command.ts');
    return runDemo({ duration: values.duration, plain: values.plain ?? false });
  }
  process.stderr.write(`meshtail: unknown command "${command}"\n${USAGE}`);
  return 1;
}

main(process.argv.slice(2)).then(
  // Exit explicitly: gRPC channels or timers of a drained agent must not keep the process alive.
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`meshtail: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
