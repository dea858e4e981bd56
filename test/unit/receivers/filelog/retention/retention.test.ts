// retention: a real writer process appends numbered lines with O_APPEND and reopens its file when
// asked (SIGUSR1 through a pid file, or a POST to an Envoy-like admin URL); the receiver rotates
// the file at a small rotate_size, reads every rotated file to its end and deletes it only once
// the consumer acknowledged all of it.
import { appendFileSync, existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { filelogConfig } from '../../../../../receivers/filelog/config.ts';
import { parseSeq } from '../../../../support/seq-lines.ts';
import { SeqWriter } from '../../../../support/seq-writer.ts';
import { type Harness, harness, numbered, pause, stopAll, text, until } from '../harness.ts';

const writers: SeqWriter[] = [];
const servers: Server[] = [];

afterEach(async () => {
  for (const w of writers.splice(0)) await w.stop();
  await stopAll();
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/** Acknowledgements the test holds back and releases. */
class AckGate {
  held = false;
  #waiting: (() => void)[] = [];

  readonly ack = (): Promise<void> =>
    this.held ? new Promise((resolve) => this.#waiting.push(resolve)) : Promise.resolve();

  release(): void {
    this.held = false;
    for (const r of this.#waiting.splice(0)) r();
  }
}

/** An Envoy-like admin endpoint on 127.0.0.1: POST /reopen_logs calls `onReopen`. */
async function admin(onReopen: () => void): Promise<{ url: string; posts: () => number }> {
  let posts = 0;
  const server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/reopen_logs') {
      posts++;
      onReopen();
      res.end('OK\n');
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/reopen_logs`, posts: () => posts };
}

const metric = (h: Harness, name: string) => h.metrics.value(`meshtail_receiver_retention_${name}`);
const rotatedOnDisk = (h: Harness) => readdirSync(h.logs).filter((n) => n.startsWith('access.log.'));

/** A writer of numbered lines of file `a` to `<logs>/access.log`, reopening it on SIGUSR1. */
function writer(h: Harness, rate: number, pidFile?: string): SeqWriter {
  const w = new SeqWriter({
    files: [{ id: 'a', path: join(h.logs, 'access.log'), cri: false }],
    rate,
    seconds: 120, // stopped by drain()
    reopenSignal: 'SIGUSR1',
    ...(pidFile && { pidFile }),
  });
  writers.push(w);
  return w;
}

/** A receiver of `<logs>/access.log` with `retention` (rotate_size 64KiB unless given). */
function managed(retention: Record<string, unknown>, o: Parameters<typeof harness>[1] = {}): Harness {
  const config = { include: ['$LOGS/access.log'], start_at: 'beginning' };
  return harness({ ...config, retention: { rotate_size: '64KiB', ...retention } }, o);
}

/**
 * Stops the writer just after it reopened its file (the new file well below rotate_size, so no
 * rotation comes after it and waits for a writer that is gone), then waits until every line
 * arrived and every rotated file is deleted; each line arrived exactly once.
 */
async function drain(h: Harness, w: SeqWriter): Promise<{ reopens: number; rotations: number }> {
  const base = join(h.logs, 'access.log');
  const small = () => statSync(base, { throwIfNoEntry: false })?.size ?? Number.POSITIVE_INFINITY;
  expect(await until(() => small() < 32 * 1024)).toBe(true);
  await w.stop();
  const summary = await w.finished(5000);
  const written = summary.written[0]!;
  expect(await until(() => h.got.length >= written && rotatedOnDisk(h).length === 0)).toBe(true);
  await pause(100); // a duplicate would arrive now
  expect(tally(h, written)).toEqual({ lost: 0, duplicated: 0 });
  const rotations = await metric(h, 'rotations_total');
  expect(await metric(h, 'deleted_files_total')).toBe(rotations);
  return { reopens: summary.reopens, rotations };
}

/** Sequence numbers of file `a` as received: every one of [0, written) exactly once. */
function tally(h: Harness, written: number): { lost: number; duplicated: number } {
  const counts = new Uint8Array(written);
  let duplicated = 0;
  for (const body of h.bodies()) {
    const seq = parseSeq(body)!.seq;
    if (counts[seq]! > 0) duplicated++;
    counts[seq]!++;
  }
  return { lost: counts.filter((c) => c === 0).length, duplicated };
}

it('rotates at rotate_size, reopens by SIGUSR1, and deletes a rotated file only once it is acknowledged', async () => {
  const gate = new AckGate();
  const dir = mkdtempSync(join(tmpdir(), 'meshtail-retention-'));
  const pidFile = join(dir, 'writer.pid');
  const h = managed({ max_rotated: 3, reopen: { pid_file: pidFile } }, { dir, ack: gate.ack });
  const w = writer(h, 500, pidFile); // ~50 KB/s: a rotation every ~1.3 s
  expect(await until(() => existsSync(pidFile))).toBe(true);
  await h.start();
  let most = 0; // files in the log directory, at the most
  const watch = setInterval(() => {
    most = Math.max(most, readdirSync(h.logs).length);
  }, 10);
  try {
    // Acknowledgements flowing: rotated files come and go.
    expect(await until(async () => (await metric(h, 'deleted_files_total')) >= 1)).toBe(true);

    // Acknowledgements held: rotated files pile up to max_rotated and rotation waits. A file whose
    // bytes were all acknowledged before the hold is gone by then (its quiet second is shorter than
    // the two rotations the pile-up takes); the ones left hold unacknowledged lines and stay.
    gate.held = true;
    expect(await until(async () => (await metric(h, 'deferred_rotations_total')) >= 1)).toBe(true);
    const kept = rotatedOnDisk(h);
    const deleted = await metric(h, 'deleted_files_total');
    expect(kept).toHaveLength(3);
    await pause(2000); // longer than the quiet period after a reopen
    expect(await metric(h, 'deleted_files_total')).toBe(deleted);
    expect(rotatedOnDisk(h)).toEqual(kept);
    expect(await metric(h, 'rotated_files')).toBe(3);

    gate.release();
    const { reopens, rotations } = await drain(h, w);
    expect(reopens).toBe(rotations);
    expect(await metric(h, 'rotated_files')).toBe(0);
    expect(await metric(h, 'reopen_failures_total')).toBe(0);
    expect(most).toBeLessThanOrEqual(3 + 1); // max_rotated rotated files + the live one
  } finally {
    clearInterval(watch);
    gate.release(); // a receiver's shutdown waits for what is in flight
  }
}, 60_000);

it('reopens through an admin URL (Envoy /reopen_logs)', async () => {
  let w: SeqWriter | undefined;
  const { url, posts } = await admin(() => w?.reopen());
  const h = managed({ reopen: { url } });
  w = writer(h, 1000);
  await h.start();
  expect(await until(async () => (await metric(h, 'deleted_files_total')) >= 2)).toBe(true);
  const { reopens, rotations } = await drain(h, w);
  expect(posts()).toBe(rotations);
  expect(reopens).toBe(rotations);
}, 60_000);

it('keeps a rotated file the writer never leaves, reads it as it grows, and asks again', async () => {
  let w: SeqWriter | undefined;
  let listening = false; // the writer ignores reopen requests until the test says otherwise
  const { url, posts } = await admin(() => {
    if (listening) w?.reopen();
  });
  const h = managed({ reopen: { url, timeout: '300ms' } });
  w = writer(h, 1000);
  await h.start();
  expect(await until(async () => (await metric(h, 'reopen_failures_total')) >= 2)).toBe(true);
  // One rotation only: the next waits for the writer to reopen; the rotated file keeps growing
  // and is read as it grows.
  expect(await metric(h, 'rotations_total')).toBe(1);
  const [rotated] = rotatedOnDisk(h);
  expect(existsSync(join(h.logs, 'access.log'))).toBe(false);
  // The writer keeps appending to the rotated file (at its own pace: a loaded machine slows it).
  const size = () => statSync(join(h.logs, rotated!)).size;
  expect(await until(() => size() > 64 * 1024 + 20_000)).toBe(true);
  expect(await metric(h, 'rotations_total')).toBe(1);
  const grown = size();
  expect(await until(() => h.got.length * 101 >= grown)).toBe(true); // 101 bytes a line
  expect(await metric(h, 'deleted_files_total')).toBe(0);
  expect(posts()).toBeGreaterThanOrEqual(2); // asked again after the first request went unanswered

  listening = true;
  await drain(h, w);
}, 60_000);

describe('across a restart', () => {
  const line = (i: number) => `r ${i} ${'x'.repeat(90)}`;

  it('reads a rotated file to its end under its new name after a restart, then deletes it', async () => {
    let base = '';
    const { url } = await admin(() => writeFileSync(base, '', { flag: 'a' })); // the writer reopens
    const h = harness(
      {
        include: ['$LOGS/access.log'],
        start_at: 'beginning',
        read_buffer_size: '4KiB',
        max_read_per_turn: '4KiB',
        retention: { rotate_size: '64KiB', reopen: { url } },
      },
      { delayMs: 20 },
    );
    base = join(h.logs, 'access.log');
    writeFileSync(base, text(Array.from({ length: 1000 }, (_, i) => line(i)))); // ~100 KB
    await h.start();
    expect(await until(async () => (await metric(h, 'rotations_total')) === 1)).toBe(true);
    expect(await until(() => h.got.length > 0)).toBe(true);
    await h.stop();
    expect(h.got.length).toBeLessThan(1000);
    expect(rotatedOnDisk(h)).toHaveLength(1);
    appendFileSync(base, text(Array.from({ length: 100 }, (_, i) => line(1000 + i))));

    const again = h.restart();
    await again.start();
    expect(await until(() => again.got.length >= 1100 && rotatedOnDisk(again).length === 0)).toBe(true);
    await pause(200);
    expect(tally(again, 1100)).toEqual({ lost: 0, duplicated: 0 });
    expect(await metric(again, 'deleted_files_total')).toBe(1);
  }, 60_000);
});

it('reads an unterminated last line once the writer left the file, and leaves files it did not rotate', async () => {
  let base = '';
  const { url } = await admin(() => writeFileSync(base, '', { flag: 'a' }));
  const h = managed({ rotate_size: '1KiB', reopen: { url } });
  base = join(h.logs, 'access.log');
  const foreign = join(h.logs, 'access.log.20250101T000000.000Z');
  writeFileSync(foreign, 'not ours\n');
  writeFileSync(base, `${text(numbered('u', 0, 20).map((l) => l.padEnd(80, '.')))}u-last-unterminated`);
  await h.start();
  expect(await until(() => h.bodies().includes('u-last-unterminated'))).toBe(true);
  expect(await until(async () => (await metric(h, 'deleted_files_total')) === 1)).toBe(true);
  expect(h.got).toHaveLength(21);
  expect(rotatedOnDisk(h)).toEqual(['access.log.20250101T000000.000Z']);
});

it('reads a rotated file that was closed for max_concurrent_files and grew before the writer reopened', async () => {
  let reopened = false;
  const { url } = await admin(() => {
    if (reopened) writeFileSync(join(h.logs, 'a.log'), '', { flag: 'a' });
  });
  const h = harness({
    include: ['$LOGS/*.log'],
    start_at: 'beginning',
    max_concurrent_files: 1,
    retention: { rotate_size: '1KiB', reopen: { url, timeout: '200ms' } },
  });
  const line = (p: string, i: number) => `${p}-${i}`.padEnd(60, '.');
  writeFileSync(join(h.logs, 'a.log'), text(Array.from({ length: 20 }, (_, i) => line('a', i))));
  await h.start();
  expect(await until(async () => (await metric(h, 'rotations_total')) === 1 && h.got.length === 20)).toBe(
    true,
  );
  // b.log needs the one handle: the idle rotated file is closed to make room.
  writeFileSync(join(h.logs, 'b.log'), text([line('b', 0)]));
  expect(await until(() => h.got.length === 21)).toBe(true);
  // The writer still writes to the rotated file (it has not reopened), then reopens.
  const [rotated] = readdirSync(h.logs).filter((n) => n.startsWith('a.log.'));
  appendFileSync(join(h.logs, rotated!), text(Array.from({ length: 5 }, (_, i) => line('a', 20 + i))));
  reopened = true;
  expect(await until(() => h.got.length === 26 && !existsSync(join(h.logs, rotated!)))).toBe(true);
  expect(h.bodies().filter((b) => b.startsWith('a-'))).toHaveLength(25);
});

it('validates the block: one of pid_file or url, rotate_size at least 1KiB', () => {
  const parse = (retention: unknown) => filelogConfig.safeParse({ include: ['/x'], retention });
  expect(parse({ reopen: { pid_file: '/run/envoy.pid' } }).success).toBe(true);
  expect(parse({ reopen: {} }).error?.issues.map((i) => i.message)).toEqual([
    'expected exactly one of pid_file or url',
  ]);
  expect(
    parse({
      rotate_size: '10',
      reopen: { pid_file: '/p', url: 'http://127.0.0.1:15000/reopen_logs' },
    }).error?.issues.map((i) => [i.path.join('.'), i.message]),
  ).toEqual([
    ['retention.reopen', 'expected exactly one of pid_file or url'],
    ['retention.rotate_size', 'expected at least 1KiB'],
  ]);
});
