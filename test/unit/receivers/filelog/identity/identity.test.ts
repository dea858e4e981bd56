import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { harness, numbered, pause, stopAll, text, until } from '../harness.ts';

afterEach(stopAll);

it('tracks a file without a trailing newline and makes one line when the newline comes', async () => {
  const h = harness({ include: ['$LOGS/*.log'], start_at: 'beginning' });
  const path = join(h.logs, 'a.log');
  writeFileSync(path, 'first\nhalf-');
  await h.start();
  expect(await until(() => h.got.length >= 1)).toBe(true);
  await pause(150); // several polls see the unterminated line
  appendFileSync(path, 'done\n');
  expect(await until(() => h.got.length >= 2)).toBe(true);
  await pause(100);
  expect(h.bodies()).toEqual(['first', 'half-done']);
});

it('never confuses two files with the same first KiB: a replaced file and a sibling are read completely', async () => {
  const h = harness({ include: ['$LOGS/*.log'], start_at: 'beginning' });
  const header = `${'h'.repeat(1100)}`;
  const path = join(h.logs, 'app.log');
  writeFileSync(path, text([header, ...numbered('a', 0, 50)]));
  await h.start();
  expect(await until(() => h.got.length >= 51)).toBe(true);
  // Replace: the old file moves out of the glob, a new one with the same first KiB takes its name.
  renameSync(path, join(h.logs, 'app.old'));
  writeFileSync(path, text([header, ...numbered('b', 0, 50)]));
  // And a sibling with the same first KiB appears next to it.
  writeFileSync(join(h.logs, 'other.log'), text([header, ...numbered('c', 0, 50)]));
  expect(await until(() => h.got.length >= 153)).toBe(true);
  await pause(200);
  const bodies = h.bodies().filter((b) => b !== header);
  expect(bodies.sort()).toEqual(
    [...numbered('a', 0, 50), ...numbered('b', 0, 50), ...numbered('c', 0, 50)].sort(),
  );
  expect(h.bodies().filter((b) => b === header).length).toBe(3);
});

it('follows a symlink chain and reads the target once, with resource attributes from the pod path', async () => {
  const h = harness({ include: ['$LOGS/containers/*.log', '$LOGS/pods/*/*/*.log'], start_at: 'beginning' });
  const podDir = join(h.logs, 'pods', 'mesh_web-1_uid-1', 'istio-proxy');
  mkdirSync(podDir, { recursive: true });
  mkdirSync(join(h.logs, 'containers'));
  mkdirSync(join(h.logs, 'links'));
  const target = join(podDir, '0.log');
  writeFileSync(target, text(numbered('s', 0, 20)));
  symlinkSync(target, join(h.logs, 'links', 'hop.log'));
  symlinkSync(join(h.logs, 'links', 'hop.log'), join(h.logs, 'containers', 'web-1_mesh_istio-proxy-abc.log'));
  await h.start();
  expect(await until(() => h.got.length >= 20)).toBe(true);
  appendFileSync(target, text(['s-20']));
  expect(await until(() => h.got.length >= 21)).toBe(true);
  await pause(150);
  expect(h.bodies()).toEqual(numbered('s', 0, 21));
  expect(h.got[0]!.resource['k8s.pod.name']).toBe('web-1');
  expect(await h.metrics.value('meshtail_receiver_files_tracked')).toBe(1);
});

it('warns clearly about matched paths it cannot read and keeps reading the others', async () => {
  const h = harness({ include: ['$LOGS/*.log'], start_at: 'beginning' });
  mkdirSync(join(h.logs, 'dir.log'));
  execFileSync('mkfifo', [join(h.logs, 'pipe.log')]);
  writeFileSync(join(h.logs, 'ok.log'), text(['ok-1']));
  await h.start();
  expect(await until(() => h.got.length >= 1)).toBe(true);
  appendFileSync(join(h.logs, 'ok.log'), text(['ok-2']));
  expect(await until(() => h.got.length >= 2)).toBe(true);
  const paths = h.warnings.map((w) => `${w.path} ${w.kind} ${w.msg}`);
  expect(paths.some((p) => p.includes('dir.log directory matched path is not a regular file'))).toBe(true);
  expect(paths.some((p) => p.includes('pipe.log fifo'))).toBe(true);
  expect(h.warnings.length).toBe(2); // once per path, not once per poll
  expect(await h.metrics.value('meshtail_receiver_errors_total')).toBe(2);
});

it('finds the one matching file in a directory of 10,000 others', async () => {
  const h = harness({ include: ['$LOGS/*.log'], start_at: 'beginning' });
  for (let i = 0; i < 10_000; i++) writeFileSync(join(h.logs, `noise-${i}.txt`), '');
  writeFileSync(join(h.logs, 'app.log'), text(['one']));
  await h.start();
  expect(await until(() => h.got.length >= 1)).toBe(true);
  writeFileSync(join(h.logs, 'late.log'), text(['two']));
  expect(await until(() => h.got.length >= 2)).toBe(true);
  expect(h.bodies().sort()).toEqual(['one', 'two']);
  expect(await h.metrics.value('meshtail_receiver_files_tracked')).toBe(2);
});

it('treats a checkpointed inode whose first bytes changed as a new file, read from the start', async () => {
  const h = harness({ include: ['$LOGS/*.log'], start_at: 'beginning' });
  const path = join(h.logs, 'a.log');
  writeFileSync(path, text(numbered('old', 0, 10)));
  await h.start();
  expect(await until(() => h.got.length >= 10)).toBe(true);
  await h.stop();
  // Same inode (rewritten in place while the agent was down), different content, longer than before.
  writeFileSync(path, text(numbered('new', 0, 30)));
  const again = h.restart();
  await again.start();
  expect(await until(() => again.got.length >= 40)).toBe(true);
  await pause(100);
  expect(again.bodies()).toEqual([...numbered('old', 0, 10), ...numbered('new', 0, 30)]);
});
