// `meshtail validate -c FILE`: load the file as `run` would (files, keyrings and addresses too), print every error as FILE:LINE:COL
// (the format editors and CI annotators jump to) and exit 2, or say it is valid and exit 0.

import { formatConfigError } from '../kit/config/config-error.ts';
import type { Registry } from '../registry.ts';
import { loadConfig } from './load-config.ts';

export interface CommandOutput {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export function runValidate(
  file: string,
  registry: Registry,
  out: CommandOutput,
  env?: NodeJS.ProcessEnv,
): number {
  const result = loadConfig(file, registry, env ? { env, checkFiles: true } : { checkFiles: true });
  if (!result.ok) {
    for (const error of result.errors) out.stderr.write(`${formatConfigError(error)}\n`);
    return 2;
  }
  out.stdout.write(`${file}: valid\n`);
  return 0;
}
