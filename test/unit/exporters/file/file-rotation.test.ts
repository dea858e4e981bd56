import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import type { Payload } from '../../../../agent/kit/component.ts';
import { loadKeyring } from '../../../../agent/kit/keyring/keyring.ts';
import { ChainReader } from '../../../../agent/kit/keyring/sealed-line.ts';
import { fileFactory } from '../../../../exporters/file/factory.ts';
import { openLine } from '../../../../exporters/file/line-sealer.ts';
import { RotatingFile } from '../../../../exporters/file/rotating-file.ts';
import { tempKeyring } from '../../../support/encrypt-keyring.ts';
import { testSettings } from '../test-settings.ts';

const SECRET = 'Bearer sk_live_SEEDED_file_0123456789';
const payload = (i: number): Payload => ({
  signal: 'logs',
  records: 1,
  bytes: Buffer.from(JSON.stringify({ resourceLogs: [], n: i, auth: SECRET, pad: 'x'.repeat(200) })),
});

it('rotates by size, keeps max_backups, gzips the rotated files, and loses no line', async () => {
  const settings = testSettings('file/rot');
  const path = join(settings.dataDir, 'out', 'audit.jsonl');
  const exporter = fileFactory.create(
    settings,
    fileFactory.config.parse({
      path,
      rotation: { max_size: '2KiB', max_backups: 3, compress: 'gzip' },
      sending_queue: { enabled: false },
    }),
  );
  await exporter.start();
  for (let i = 0; i < 40; i++) await exporter.export(payload(i));
  await exporter.shutdown();
  const names = readdirSync(join(settings.dataDir, 'out')).sort();
  const backups = names.filter((n) => n !== 'audit.jsonl');
  expect(backups).toHaveLength(3);
  expect(backups.every((n) => n.endsWith('.gz'))).toBe(true);
  const texts = [
    ...backups.map((n) => gunzipSync(readFileSync(join(settings.dataDir, 'out', n))).toString()),
    readFileSync(path, 'utf8'),
  ];
  const ns = texts.flatMap((t) =>
    t
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { n: number }).n),
  );
  // The newest lines are all there, in order, each whole; older ones went with the pruned backups.
  expect(ns).toEqual(Array.from({ length: ns.length }, (_, k) => 40 - ns.length + k));
  for (const t of texts) for (const l of t.split('\n').filter(Boolean)) expect(l.length).toBeLessThan(2048);
});

it('rotates by time (max_age)', async () => {
  let now = 1_700_000_000_000;
  const dir = testSettings('file/t').dataDir;
  const path = join(dir, 'a.jsonl');
  const f = new RotatingFile(
    path,
    { max_size: 0, max_age: 60_000, max_backups: 0, max_backup_age: 0, compress: 'none' },
    () => now,
  );
  await f.open();
  await f.write(Buffer.from('one\n'));
  now += 30_000;
  await f.write(Buffer.from('two\n'));
  now += 31_000;
  await f.write(Buffer.from('three\n'));
  await f.close();
  expect(readFileSync(path, 'utf8')).toBe('three\n');
  const backups = readdirSync(dir).filter((n) => n !== 'a.jsonl');
  expect(backups).toEqual(['a.jsonl.20231114T221421.000Z']);
  expect(readFileSync(join(dir, backups[0]!), 'utf8')).toBe('one\ntwo\n');
});

it('encrypts every line with the keyring: no seeded value in clear, and openLine reads it back', async () => {
  const keys = tempKeyring();
  const settings = testSettings('file/enc');
  const path = join(settings.dataDir, 'enc.jsonl');
  const exporter = fileFactory.create(
    settings,
    fileFactory.config.parse({ path, encryption: { keyring: keys.dir }, rotation: { max_size: '4KiB' } }),
  );
  await exporter.start();
  for (let i = 0; i < 30; i++) await exporter.export(payload(i));
  await exporter.shutdown();
  const files = readdirSync(settings.dataDir).filter((n) => n.startsWith('enc.jsonl'));
  expect(files.length).toBeGreaterThan(1);
  const load = loadKeyring(keys.dir);
  if (!load.ok) throw new Error(load.reason);
  const seen: number[] = [];
  for (const name of files) {
    const text = readFileSync(join(settings.dataDir, name), 'utf8');
    expect(text).not.toContain('sk_live_SEEDED');
    expect(text).not.toContain('resourceLogs');
    const chain = new ChainReader();
    for (const line of text.split('\n').filter(Boolean)) {
      expect(line.startsWith(`enc:v2:${keys.kid}:`)).toBe(true);
      seen.push((JSON.parse(openLine(line, load.keyring.keys, chain)!) as { n: number; auth: string }).n);
    }
  }
  expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  expect(openLine('enc:v1:nokey:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', load.keyring.keys)).toBeUndefined();
});

it('refuses to start with a keyring that has no active key', async () => {
  const settings = testSettings('file/nokey');
  const exporter = fileFactory.create(
    settings,
    fileFactory.config.parse({
      path: join(settings.dataDir, 'x'),
      encryption: { keyring: settings.dataDir },
    }),
  );
  await expect(exporter.start()).rejects.toThrow(/no usable active key/);
  await exporter.shutdown();
});

it('works behind a disk queue (storage: disk, encryption: none)', async () => {
  const settings = testSettings('file/dq');
  const path = join(settings.dataDir, 'dq.jsonl');
  const exporter = fileFactory.create(
    settings,
    fileFactory.config.parse({
      path,
      sending_queue: { storage: 'disk', encryption: 'none', num_consumers: 2 },
    }),
  );
  await exporter.start();
  for (let i = 0; i < 20; i++) await exporter.export(payload(i));
  await exporter.shutdown();
  const ns = readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { n: number }).n);
  expect(ns.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  expect(readdirSync(join(settings.dataDir, 'queues', 'file%2Fdq')).some((n) => n === 'ack')).toBe(true);
});
