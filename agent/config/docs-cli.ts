// `npm run docs` (--write) regenerates docs/configuration.md; --check exits 1 when it is stale, for CI.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultRegistry } from '../default-registry.ts';
import { renderConfigurationDocs } from './docs.ts';

export const CONFIGURATION_DOCS = fileURLToPath(new URL('../../docs/configuration.md', import.meta.url));

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function main(args: string[]): number {
  const rendered = renderConfigurationDocs(defaultRegistry);
  if (args.includes('--write')) {
    writeFileSync(CONFIGURATION_DOCS, rendered);
    process.stdout.write(`wrote ${CONFIGURATION_DOCS}\n`);
    return 0;
  }
  if (args.includes('--check')) {
    if (readOrEmpty(CONFIGURATION_DOCS) === rendered) return 0;
    process.stderr.write('docs/configuration.md is stale: run `npm run docs` and commit the result\n');
    return 1;
  }
  process.stderr.write('usage: node agent/config/docs-cli.ts --write | --check\n');
  return 64;
}

if (import.meta.main) process.exitCode = main(process.argv.slice(2));
