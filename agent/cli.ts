// meshtail's command line: run, validate, demo, and the operator tools keys and decrypt. Run with Node 24 (bin/meshtail.js makes sure).
// Usage errors (unknown command or flag, missing value) print one line and the usage to stderr and
// exit 2, never a stack trace; --help and --version print to stdout and exit 0.
import { parseArgs } from 'node:util';
import { processIo } from './cli/cli-io.ts';
import { COMMANDS, firstSentence, USAGE, version } from './cli/usage.ts';

class UsageError extends Error {
  readonly usage: string;
  constructor(message: string, usage: string) {
    super(message);
    this.usage = usage;
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError('meshtail: no command given', USAGE);
  if (command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`meshtail ${version()}\n`);
    return 0;
  }
  if (command === 'help') {
    const topic = rest[0];
    if (topic === undefined) {
      process.stdout.write(USAGE);
      return 0;
    }
    const spec = COMMANDS[topic];
    if (!spec) throw new UsageError(`meshtail help: unknown command "${topic}"`, USAGE);
    process.stdout.write(spec.usage);
    return 0;
  }
  const spec = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!spec) {
    throw new UsageError(
      command.startsWith('-')
        ? `meshtail: unknown option "${command}"`
        : `meshtail: unknown command "${command}"`,
      USAGE,
    );
  }
  // The operator tools take their own options (subcommands, file names); loaded only when used.
  if (command === 'keys' || command === 'decrypt') {
    if (rest.length === 1 && (rest[0] === '--help' || rest[0] === '-h')) {
      process.stdout.write(spec.usage);
      return 0;
    }
    if (command === 'keys') return (await import('./cli/keys-command.ts')).runKeys(rest, processIo());
    return (await import('./cli/decrypt-command.ts')).runDecrypt(rest, processIo());
  }
  let values: { config?: string; duration?: string; plain?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({ args: rest, options: spec.options, allowPositionals: false, strict: true }) as {
      values: typeof values;
    });
  } catch (err) {
    throw new UsageError(`meshtail ${command}: ${firstSentence((err as Error).message)}`, spec.usage);
  }
  if (values.help) {
    process.stdout.write(spec.usage);
    return 0;
  }
  if (command === 'run' || command === 'validate') {
    if (!values.config) throw new UsageError(`meshtail ${command}: -c FILE is required`, spec.usage);
    // Loaded here, not at the top: the operator tools need neither the config loader nor components.
    if (command === 'run') {
      await (await import('./cli/v8-flags.ts')).tuneV8(); // may start the process over (v8-flags.ts)
      return (await import('./cli/run-command.ts')).runCommand(values.config);
    }
    const { componentRegistry, loadNamedInFile } = await import('./components.ts');
    const registry = componentRegistry();
    await loadNamedInFile(registry, values.config);
    const { runValidate } = await import('./config/validate-command.ts');
    return runValidate(values.config, registry, { stdout: process.stdout, stderr: process.stderr });
  }
  const { runDemo } = await import('./demo/demo-command.ts');
  return runDemo({ duration: values.duration, plain: values.plain ?? false });
}

main(process.argv.slice(2)).then(
  // Exit explicitly: gRPC channels or timers of a drained agent must not keep the process alive.
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n${err.usage}`);
      process.exit(2);
    }
    process.stderr.write(`meshtail: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
