// The worker isolates' young generation is the pool's resourceLimits, even though the main thread
// runs with --max-semi-space-size (which V8 would otherwise apply to every isolate made after it).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { workerResourceLimits } from '../../../../agent/pool/worker-pool.ts';

const WORKER_RESOURCE_LIMITS = workerResourceLimits(true);

const POOL = fileURLToPath(new URL('../../../../agent/pool/worker-pool.ts', import.meta.url));

// A child node with a semi-space flag as large as the workers' whole young generation (so a worker
// that took the flag would show twice its limit), that makes a worker with the pool's limits, fills
// both young generations with short-lived garbage and prints both new spaces (MiB).
const SCRIPT = `
import { Worker } from 'node:worker_threads';
import { getHeapSpaceStatistics } from 'node:v8';
const { workerResourceLimits, leaveWorkerYoungGenerationToLimits } = await import(process.env.POOL);
const WORKER_RESOURCE_LIMITS = workerResourceLimits(true);
if (process.env.LEAVE === '1') leaveWorkerYoungGenerationToLimits();
const churn = \`let keep = [];
for (let i = 0; i < 2e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 5e4) keep = []; }\`;
const newSpace = (v8) => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
const w = new Worker(
  \`\${churn}; const v8 = require('node:v8'); require('node:worker_threads').parentPort.postMessage((\${newSpace})(v8));\`,
  { eval: true, resourceLimits: WORKER_RESOURCE_LIMITS },
);
const workerNew = await new Promise((resolve) => w.once('message', resolve));
await w.terminate();
eval(churn);
const mainNew = newSpace({ getHeapSpaceStatistics });
console.log(JSON.stringify({ worker: workerNew / 2 ** 20, main: mainNew / 2 ** 20 }));
`;

function newSpaces(leave: boolean): { worker: number; main: number } {
  const dir = mkdtempSync(join(tmpdir(), 'meshtail-young-'));
  const script = join(dir, 'young.mjs');
  writeFileSync(script, SCRIPT);
  try {
    const out = execFileSync(
      process.execPath,
      [`--max-semi-space-size=${WORKER_RESOURCE_LIMITS.maxYoungGenerationSizeMb}`, script],
      {
        env: { ...process.env, POOL, LEAVE: leave ? '1' : '0', NODE_OPTIONS: '' },
        encoding: 'utf8',
      },
    );
    return JSON.parse(out) as { worker: number; main: number };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('worker young generation', () => {
  it('is capped by resourceLimits, while the main thread keeps its flag', () => {
    const left = newSpaces(true);
    expect(left.worker).toBeLessThanOrEqual(WORKER_RESOURCE_LIMITS.maxYoungGenerationSizeMb);
    expect(left.main).toBeGreaterThan(WORKER_RESOURCE_LIMITS.maxYoungGenerationSizeMb);
  });

  it('would follow the process-wide flag without the pool resetting it (the cap the pool fixes)', () => {
    const flagged = newSpaces(false);
    expect(flagged.worker).toBeGreaterThan(WORKER_RESOURCE_LIMITS.maxYoungGenerationSizeMb);
  });
});
