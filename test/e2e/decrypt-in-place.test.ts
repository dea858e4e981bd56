// The default `body: in_place` end to end: the agent (filelog → mesh_parse → encrypt → file) on the
// demo's Istio TEXT lines, then `meshtail decrypt` as a user runs it. Out of the agent every access
// line is readable and holds no client address nor sealed value; out of decrypt every line is the
// one the proxy wrote, byte for byte.
import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTraffic } from '../../agent/demo/istio-traffic.ts';
import { tempKeyring } from '../support/encrypt-keyring.ts';
import { countRecords, startEncryptPipeline, until } from '../support/encrypt-pipeline.ts';
import { runCli } from '../support/meshtail-process.ts';
import { logRecords } from '../support/otlp-records.ts';

const dir = mkdtempSync(join(tmpdir(), 'meshtail-in-place-'));
const LINES = 400;
const lines: string[] = [];
let keyring = '';
let encrypted = '';

beforeAll(async () => {
  keyring = tempKeyring().dir;
  const run = startEncryptPipeline(dir, keyring, false);
  encrypted = run.encrypted;
  const traffic = createTraffic({ seed: 11, replicas: 2 });
  for (let i = 0; i < LINES; i++)
    lines.push(traffic.next(1_760_000_000_000_000_000n + BigInt(i) * 1000n).line);
  appendFileSync(run.logFile, lines.map((l) => `${l}\n`).join(''));
  await run.agent.start();
  try {
    expect(await until(() => countRecords(encrypted) >= LINES)).toBe(true);
  } finally {
    await run.agent.shutdown(10_000);
  }
});

const bodyOf = (r: { body?: unknown }) => (r.body as { stringValue?: string } | undefined)?.stringValue;

describe('encrypt body: in_place, agent to decrypt', () => {
  it('sends readable lines without client addresses or sealed values', () => {
    expect(lines.filter((l) => /203\.0\.113\.\d/.test(l)).length).toBeGreaterThan(10);
    const records = logRecords(encrypted);
    expect(records).toHaveLength(LINES);
    const covered = records.map(bodyOf).filter((b): b is string => b !== undefined);
    // The demo's access lines all carry a client address: nearly all stay readable.
    expect(covered.length).toBeGreaterThan(LINES * 0.9);
    for (const b of covered) {
      expect(b).not.toMatch(/203\.0\.113\.\d/);
      expect(b).toMatch(/^\[\d{4}-/);
    }
    expect(covered.some((b) => b.includes('ps:v1:'))).toBe(true);
  });

  it('gives every line back byte for byte through meshtail decrypt', () => {
    const out = join(dir, 'opened.jsonl');
    const audit = join(dir, 'audit.jsonl');
    const r = runCli(['decrypt', '--keys', keyring, '--in', encrypted, '--out', out, '--audit-log', audit]);
    expect(r.status, r.stderr).toBe(0);
    const opened = logRecords(out).map(bodyOf);
    expect(opened.sort()).toEqual([...lines].sort());
  });
});
