import { chmodSync, chownSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { ComponentSettings } from '../../../../agent/kit/component.ts';
import { keyringSignature, keyringState, loadKeyring } from '../../../../agent/kit/keyring/keyring.ts';
import { writeActive, writeNewKey } from '../../../../agent/kit/keyring/keyring-writer.ts';
import { SharedStateReader, SharedStateWriter } from '../../../../agent/kit/worker/shared-state.ts';
import { SelfMetrics } from '../../../../agent/telemetry/self-metrics.ts';
import { encryptConfig } from '../../../../processors/encrypt/config.ts';
import { KeyringMain } from '../../../../processors/encrypt/main.ts';
import { rotate, tempKeyring } from '../../../support/encrypt-keyring.ts';

/** A group the test process is not in as its primary group. */
const OTHER_GID = (process.getegid?.() ?? 0) + 4242;
const mains: KeyringMain[] = [];
afterEach(async () => {
  for (const m of mains.splice(0)) await m.shutdown();
});

function logSink() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: pino({ level: 'info' }, stream) };
}

function startable(dir: string, pollInterval = '20ms') {
  const { lines, logger } = logSink();
  const settings: ComponentSettings = {
    id: 'encrypt',
    type: 'encrypt',
    dataDir: dir,
    logger,
    metrics: new SelfMetrics(),
  };
  const writer = new SharedStateWriter();
  const main = new KeyringMain(
    settings,
    encryptConfig.parse({ keyring: dir, poll_interval: pollInterval }),
    writer,
  );
  mains.push(main);
  const reader = new SharedStateReader<{ active: string; keys: Record<string, string> }>(writer.buffer);
  return { main, reader, lines };
}

async function until(cond: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return cond();
}

describe('keyring', () => {
  it('loads every key, names the active one, and writes key files 0600', () => {
    const { dir, kid } = tempKeyring();
    const second = writeNewKey(dir);
    const loaded = loadKeyring(dir);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.keyring.active).toBe(kid);
    expect([...loaded.keyring.keys.keys()].sort()).toEqual([kid, second].sort());
    for (const info of loaded.keyring.info) expect(info.mode).toBe(0o600);
    expect(readFileSync(join(dir, `${kid}.key`), 'utf8').trim()).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  it('skips bad key files with a reason that carries no key material', () => {
    const { dir } = tempKeyring();
    writeFileSync(join(dir, 'short.key'), 'c2hvcnQ=\n', { mode: 0o600 });
    writeFileSync(join(dir, 'bad:kid.key'), Buffer.alloc(32).toString('base64'));
    const loaded = loadKeyring(dir);
    if (!loaded.ok) throw new Error(loaded.reason);
    expect(loaded.keyring.problems).toEqual([
      expect.stringContaining('bad:kid.key'),
      'short.key: expected 32 bytes in base64',
    ]);
    expect(loaded.keyring.problems.join()).not.toContain('c2hvcnQ');
  });

  it('refuses a keyring whose active key is missing', () => {
    const { dir } = tempKeyring();
    writeActive(dir, 'k-gone');
    const loaded = loadKeyring(dir);
    if (!loaded.ok) throw new Error(loaded.reason);
    expect(keyringState(loaded.keyring)).toEqual({ ok: false, reason: expect.stringContaining("'k-gone'") });
  });

  it('changes its signature when a key is added or the active key switches', () => {
    const { dir } = tempKeyring();
    const before = keyringSignature(dir);
    rotate(dir);
    expect(keyringSignature(dir)).not.toBe(before);
  });
});

describe('keyring main-thread part', () => {
  it('publishes the keyring on start and a rotation without a restart', async () => {
    const { dir, kid } = tempKeyring();
    const { main, reader, lines } = startable(dir);
    await main.start();
    expect(reader.current()?.active).toBe(kid);
    const next = rotate(dir);
    expect(await until(() => reader.current()?.active === next)).toBe(true);
    expect(Object.keys(reader.current()!.keys).sort()).toEqual([kid, next].sort());
    const keys = Object.values(reader.current()!.keys);
    for (const line of lines) for (const k of keys) expect(line).not.toContain(k);
    expect(lines.some((l) => l.includes(next))).toBe(true);
  });

  it('keeps the keys it has when the directory turns bad, and says so', async () => {
    const { dir, kid } = tempKeyring();
    const { main, reader, lines } = startable(dir);
    await main.start();
    writeActive(dir, 'k-missing');
    expect(await until(() => lines.some((l) => l.includes('k-missing')))).toBe(true);
    expect(reader.current()?.active).toBe(kid);
  });

  it('does not start without a usable active key', async () => {
    const { dir } = tempKeyring();
    writeActive(dir, 'k-none');
    const { main } = startable(dir);
    await expect(main.start()).rejects.toThrow(/k-none/);
    const missing = startable(join(dir, 'nope')).main;
    await expect(missing.start()).rejects.toThrow(/cannot read the keyring directory/);
  });

  it('refuses a key file readable by group or others', async () => {
    for (const mode of [0o644, 0o640, 0o604]) {
      const { dir, kid } = tempKeyring();
      chmodSync(join(dir, `${kid}.key`), mode);
      // A group that is not the agent's own (an own-group 0440 file is a Secret under fsGroup).
      chownSync(join(dir, `${kid}.key`), process.getuid?.() ?? 0, OTHER_GID);
      const loaded = loadKeyring(dir);
      expect(loaded.ok && loaded.keyring.keys.has(kid)).toBe(false);
      const { main, lines } = startable(dir);
      await expect(main.start()).rejects.toThrow(/no usable/);
      const refused = lines.filter((l) => l.includes('readable by group or others'));
      expect(refused).toHaveLength(1);
      expect(refused[0]).toContain(`0${mode.toString(8)}`);
    }
    const { dir, kid } = tempKeyring();
    chmodSync(join(dir, `${kid}.key`), 0o400);
    const ok = loadKeyring(dir);
    expect(ok.ok && ok.keyring.keys.has(kid)).toBe(true);
  });

  it("takes a key the agent's own group may only read (a Secret under fsGroup), not one it may write", () => {
    const { dir, kid } = tempKeyring();
    const file = join(dir, `${kid}.key`);
    chownSync(file, process.getuid?.() ?? 0, process.getegid?.() ?? 0);
    chmodSync(file, 0o440);
    const own = loadKeyring(dir);
    expect(own.ok && own.keyring.keys.has(kid)).toBe(true);
    chmodSync(file, 0o460);
    const writable = loadKeyring(dir);
    expect(writable.ok && writable.keyring.keys.has(kid)).toBe(false);
    chownSync(file, process.getuid?.() ?? 0, OTHER_GID);
    chmodSync(file, 0o440);
    const other = loadKeyring(dir);
    expect(other.ok && other.keyring.keys.has(kid)).toBe(false);
  });
});
