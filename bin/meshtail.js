#!/usr/bin/env node
// Entry point for `npx meshtail`. meshtail runs on Node 24 (TypeScript by type stripping, no build
// step). When started by an older system Node, re-run under the node@24 devDependency.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const major = Number(process.versions.node.split('.')[0]);
if (major >= 24) {
  await import('../agent/cli.ts');
} else {
  const require = createRequire(import.meta.url);
  let node24;
  try {
    node24 = require.resolve('node/bin/node');
  } catch {
    console.error(`meshtail needs Node.js >= 24 (this is ${process.version}); run \`npm ci\` to install it.`);
    process.exit(1);
  }
  const cli = new URL('../agent/cli.ts', import.meta.url).pathname;
  const run = spawnSync(node24, [cli, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}
