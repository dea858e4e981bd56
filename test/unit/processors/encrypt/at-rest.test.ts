// Point 5 of issue 5: nothing sensitive at rest in clear. A pipeline runs on lines carrying a seeded
// secret; afterwards no file under service.data_dir (checkpoints, state) and no exporter output
// contains it, nor the user ids and client addresses of those lines.
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Agent } from '../../../../agent/agent.ts';
import { tempKeyring } from '../../../support/encrypt-keyring.ts';
import {
  countRecords,
  quietLine,
  seededLine,
  startEncryptPipeline,
  until,
} from '../../../support/encrypt-pipeline.ts';

const agents: Agent[] = [];
afterEach(async () => {
  for (const a of agents.splice(0)) await a.shutdown(5000);
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((p) => join(dir, p))
    .filter((p) => statSync(p).isFile());
}

describe('nothing sensitive at rest in clear', () => {
  it('leaves no seeded secret in the data dir or the exporter output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshtail-at-rest-'));
    const { dir: keyring } = tempKeyring();
    const seed = `SEED${Date.now().toString(36)}x9q`;
    const run = startEncryptPipeline(dir, keyring, false);
    agents.push(run.agent);
    await run.agent.start();
    const lines = Array.from({ length: 600 }, (_, i) => (i % 3 === 2 ? quietLine(i) : seededLine(i, seed)));
    appendFileSync(run.logFile, lines.map((l) => `${l}\n`).join(''));
    expect(await until(() => countRecords(run.encrypted) >= lines.length)).toBe(true);
    expect(await run.agent.shutdown(10_000)).toBe(true);

    const stateFiles = filesUnder(run.dataDir);
    expect(stateFiles.some((f) => f.endsWith('checkpoints.json'))).toBe(true);
    const clear = [seed, '@example.com', '203.0.113.'];
    for (const file of [...stateFiles, run.encrypted]) {
      const text = readFileSync(file, 'latin1');
      for (const value of clear) expect(text.includes(value), `${value} in clear in ${file}`).toBe(false);
    }
    // The seeded lines were sealed; the quiet lines went through untouched.
    const out = readFileSync(run.encrypted, 'utf8');
    expect(out.split('enc:v2:').length - 1).toBe(400);
    expect(out).toContain('ADS: push 2 for 3 proxies');
  });
});
