// Change notifications: an append marks only the file it names; a create, rename or delete marks
// every file of the directory for a stat by name and moves the directory's version (so its listing
// is read again); a deleted directory's watch dies and its files fall back to polling. Discovery
// trusts a reported directory's listing while its version holds, up to rescanMs.
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ChangeWatch, stated } from '../../../../../receivers/filelog/watch/change-watch.ts';
import { Discovery } from '../../../../../receivers/filelog/watch/discovery.ts';
import { fakeWatched, harness, numbered, stopAll, text, until } from '../harness.ts';

afterEach(stopAll);

const watches: ChangeWatch[] = [];
afterEach(() => {
  for (const w of watches.splice(0)) w.close();
});

const file = (path: string) => fakeWatched(path);

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'meshtail-watch-'));
  const failed: string[] = [];
  const w = new ChangeWatch((d) => failed.push(d));
  watches.push(w);
  return { dir, w, failed };
}

it('marks only the appended file, and every file of the directory on a rename', async () => {
  const { dir, w, failed } = setup();
  const a = file(join(dir, 'a.log'));
  const b = file(join(dir, 'b.log'));
  writeFileSync(a.path, 'a\n');
  writeFileSync(b.path, 'b\n');
  w.add(a);
  w.add(b);
  expect(failed).toEqual([]);
  expect(w.dirs).toBe(1);
  stated(a);
  stated(b);
  const v0 = w.versionOf(dir)!;

  appendFileSync(a.path, 'more\n');
  expect(await until(() => a.dirty, 2000)).toBe(true);
  expect(b.dirty).toBe(false);
  expect(a.pathDirty).toBe(false);
  expect(w.versionOf(dir)).toBe(v0); // a change names no new entry

  renameSync(b.path, join(dir, 'b.log.1')); // a rotation
  expect(await until(() => w.versionOf(dir)! > v0, 2000)).toBe(true);
  expect(a.pathDirty && b.pathDirty && b.dirty).toBe(true);

  w.remove(a);
  w.remove(b);
  expect(w.dirs).toBe(0); // the last file gone: the directory's watch is closed
  expect(w.versionOf(dir)).toBeUndefined();
});

it('follows a symlink to the directory holding the file', async () => {
  const { dir, w } = setup();
  mkdirSync(join(dir, 'pods'));
  mkdirSync(join(dir, 'containers'));
  const target = join(dir, 'pods', '0.log');
  writeFileSync(target, '');
  symlinkSync(target, join(dir, 'containers', 'c.log'));
  const f = file(join(dir, 'containers', 'c.log'));
  w.add(f);
  stated(f);
  expect(w.versionOf(join(dir, 'pods'))).toBeDefined();
  expect(w.versionOf(join(dir, 'containers'))).toBeUndefined();
  appendFileSync(target, 'x\n');
  expect(await until(() => f.dirty, 2000)).toBe(true);
});

it('drops the watch of a deleted directory and leaves its files to the poll', async () => {
  const { dir, w } = setup();
  const sub = join(dir, 'c');
  mkdirSync(sub);
  const f = file(join(sub, '0.log'));
  writeFileSync(f.path, 'x\n');
  w.add(f);
  const v0 = w.version;
  rmSync(sub, { recursive: true });
  expect(await until(() => f.watch === undefined, 2000)).toBe(true);
  expect(f.dirty && f.pathDirty).toBe(true);
  expect(w.versionOf(sub)).toBeUndefined();
  expect(w.version).toBeGreaterThan(v0);
});

it('lists a reported directory again only when its version moved or rescanMs passed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshtail-watch-'));
  writeFileSync(join(dir, 'a.log'), '');
  let version = 0;
  let rescanMs = 60_000;
  const d = new Discovery([join(dir, '*.log')], []);
  d.trust({
    versionOf: (p) => (p === dir ? version : undefined),
    get version() {
      return version;
    },
    get rescanMs() {
      return rescanMs;
    },
  });
  expect([...(await d.list())]).toEqual([join(dir, 'a.log')]);
  await new Promise((r) => setTimeout(r, 1100)); // past the unreported directories' 1 s recheck
  writeFileSync(join(dir, 'b.log'), '');
  // Nothing reported the new file: the trusted listing stands (no stat, no readdir).
  expect([...(await d.list())]).toEqual([join(dir, 'a.log')]);
  version++; // the watch saw it
  await new Promise((r) => setTimeout(r, 1100)); // the directory's own racy-clean second
  expect([...(await d.list())].sort()).toEqual([join(dir, 'a.log'), join(dir, 'b.log')]);
  writeFileSync(join(dir, 'c.log'), '');
  rescanMs = 0; // a rescan is due: listed without any report
  await new Promise((r) => setTimeout(r, 1100));
  expect([...(await d.list())].sort()).toEqual([join(dir, 'a.log'), join(dir, 'b.log'), join(dir, 'c.log')]);
});

it('reads appends and rotations of watched files with a rescan far away', async () => {
  const h = harness({ include: ['$LOGS/*.log'], start_at: 'beginning', rescan_interval: '1h' });
  const path = join(h.logs, '0.log');
  writeFileSync(path, text(numbered('w', 0, 10)));
  await h.start();
  expect(await until(() => h.got.length >= 10)).toBe(true);
  for (let i = 10; i < 50; i += 10) {
    appendFileSync(path, text(numbered('w', i, i + 10)));
    expect(await until(() => h.got.length >= i + 10)).toBe(true);
  }
  renameSync(path, join(h.logs, '0.log.1')); // renamed out of the pattern, then a new 0.log
  writeFileSync(path, text(numbered('w', 50, 60)));
  expect(await until(() => h.got.length >= 60)).toBe(true);
  appendFileSync(path, text(numbered('w', 60, 70)));
  expect(await until(() => h.got.length >= 70)).toBe(true);
  expect(h.bodies()).toEqual(numbered('w', 0, 70));
});
