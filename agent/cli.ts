// meshtail's command line: run, validate, demo. Run with Node 24 (bin/meshtail.js makes sure).
import { parseArgs } from 'node:util';
import { runCommand } from './cli/run-command.ts';
import { defaultRegistry } from './components.ts';
import { runValidate } from './config/validate-command.ts';

const USAGE = `meshtail — a node agent for service-mesh logs

Usage:
  meshtail run -c FILE        run the pipelines in FILE (SIGTERM/SIGINT drain and exit 0)
  meshtail validate -c FILE   check FILE; exit 0, or 2 with FILE:LINE:COL: message lines
  meshtail demo [--duration 60s] [--plain]
                              a simulated mesh through the full pipeline, shown live
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
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
    return command === 'run'
      ? runCommand(values.config)
      : runValidate(values.config, defaultRegistry, { stdout: process.stdout, stderr: process.stderr });
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
